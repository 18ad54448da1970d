package io.ingesthub.kafka;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the local default's Kafka broker when no cluster is configured. */
@Configuration(proxyBeanMethods = false)
public class KafkaSetup {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hub.kafka.embedded.enabled", havingValue = "true")
    LocalKafkaBroker localKafkaBroker(HubProperties hub) throws Exception {
        HubProperties.Embedded e = hub.kafka().embedded();
        // The topics of the endpoint table's entities and the dead-letter topic, created up front.
        List<String> topics = new ArrayList<>();
        for (String entity : Endpoint.entities()) {
            topics.add(hub.topics().forEntity(entity));
        }
        topics.add(hub.topics().deadLetters());
        int controllerPort = e.controllerPort() > 0 ? e.controllerPort() : e.port() + 1;
        LocalKafkaBroker broker = new LocalKafkaBroker(e.port(), controllerPort, Path.of(e.dataDir()), topics, e.partitions());
        broker.start();
        return broker;
    }
}
