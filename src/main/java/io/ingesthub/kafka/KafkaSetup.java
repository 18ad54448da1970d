package io.ingesthub.kafka;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import io.ingesthub.monitoring.MonitoringProperties;
import io.ingesthub.replay.ReplayProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the local default's Kafka broker when no cluster is configured. */
@Configuration(proxyBeanMethods = false)
public class KafkaSetup {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hub.kafka.embedded.enabled", havingValue = "true")
    LocalKafkaBroker localKafkaBroker(HubProperties hub, MonitoringProperties monitoring, ReplayProperties replay)
            throws Exception {
        HubProperties.Embedded e = hub.kafka().embedded();
        // The topics of the endpoint table's entities and the dead-letter topic, created up front.
        List<String> topics = new ArrayList<>();
        for (String entity : Endpoint.entities()) {
            topics.add(hub.topics().forEntity(entity));
        }
        topics.add(hub.topics().deadLetters());
        topics.add(hub.topics().prefix() + monitoring.topic());
        topics.add(hub.topics().prefix() + replay.rawTopic());
        String replays = hub.topics().prefix() + replay.topic();
        topics.add(replays);
        int controllerPort = e.controllerPort() > 0 ? e.controllerPort() : e.port() + 1;
        LocalKafkaBroker broker = new LocalKafkaBroker(e.port(), controllerPort, Path.of(e.dataDir()), topics, e.partitions(),
                Map.of(replays, Map.of("cleanup.policy", "compact")));
        broker.start();
        return broker;
    }
}
