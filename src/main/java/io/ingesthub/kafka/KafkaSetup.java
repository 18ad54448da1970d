package io.ingesthub.kafka;

import io.ingesthub.HubProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Wires Kafka: the local default's broker when no cluster is configured, and producer timeouts from {@code hub.kafka.ack-timeout}. */
@Configuration(proxyBeanMethods = false)
public class KafkaSetup {

    /** The eight entity topics and the dead-letter topic, created up front on the local broker. */
    public static final List<String> ENTITIES = List.of("alerts", "changes", "conversations", "incidents",
            "knowledge-articles", "problems", "requestitems", "requests");

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hub.kafka.embedded.enabled", havingValue = "true")
    LocalKafkaBroker localKafkaBroker(HubProperties hub) throws Exception {
        HubProperties.Embedded e = hub.kafka().embedded();
        List<String> topics = new ArrayList<>();
        for (String entity : ENTITIES) {
            topics.add(hub.topics().forEntity(entity));
        }
        topics.add(hub.topics().deadLetters());
        int controllerPort = e.controllerPort() > 0 ? e.controllerPort() : e.port() + 1;
        LocalKafkaBroker broker = new LocalKafkaBroker(e.port(), controllerPort, Path.of(e.dataDir()), topics, e.partitions());
        broker.start();
        return broker;
    }

    /**
     * Bounds how long a send may take: {@code max.block.ms} (waiting for metadata while Kafka is away) and
     * {@code delivery.timeout.ms} (waiting for the acknowledgement) both follow {@code hub.kafka.ack-timeout}, so a
     * request answers 503 in about that time instead of hanging.
     */
    @Bean
    ComponentCustomizer kafkaTimeouts(HubProperties hub) {
        int ack = (int) Math.max(1000, hub.kafka().ackTimeout().toMillis());
        // Ordered after the starter's own customizer (order 0), which copies the camel.component.kafka.* settings over
        // the component: with equal orders the two ran in no fixed order, and these timeouts were sometimes lost.
        return ComponentCustomizer.builder(KafkaComponent.class).withOrder(Ordered.LOWEST_PRECEDENCE).build(component -> {
            KafkaConfiguration c = component.getConfiguration();
            int linger = c.getLingerMs() == null ? 0 : c.getLingerMs();
            int request = Math.max(500, ack - linger - 100);
            c.setRequestTimeoutMs(request);
            c.setDeliveryTimeoutMs(ack);
            c.setMaxBlockMs(ack);
        });
    }
}
