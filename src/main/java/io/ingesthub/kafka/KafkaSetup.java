package io.ingesthub.kafka;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the local default's Kafka broker when no cluster is configured. */
@Configuration(proxyBeanMethods = false)
public class KafkaSetup {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hub.kafka.embedded.enabled", havingValue = "true")
    LocalKafkaBroker localKafkaBroker(HubProperties hub, RecordSizeLimit sizes,
            @Value("${hub.monitoring.topic:executions.v1}") String executionsTopic,
            @Value("${hub.replay.topic:replays.v1}") String replayTopic,
            @Value("${hub.replay.raw-topic:raw.v1}") String rawTopic) throws Exception {
        HubProperties.Embedded e = hub.kafka().embedded();
        // The topics of the endpoint table's entities and the dead-letter topic, created up front.
        List<String> topics = new ArrayList<>();
        for (String entity : Endpoint.entities()) {
            topics.add(hub.topics().forEntity(entity));
        }
        topics.add(hub.topics().deadLetters());
        topics.add(hub.topics().prefix() + executionsTopic);
        topics.add(hub.topics().prefix() + rawTopic);
        String replays = hub.topics().prefix() + replayTopic;
        topics.add(replays);
        int controllerPort = e.controllerPort() > 0 ? e.controllerPort() : e.port() + 1;
        // Every topic takes the largest record the producer may send (hub.limits.max-record-bytes plus its envelope).
        String maxMessageBytes = Long.toString(RecordSizeLimit.maxRequestSize(sizes.maxBytes()));
        Map<String, Map<String, String>> configs = new HashMap<>();
        for (String t : topics) {
            configs.put(t, t.equals(replays)
                    ? Map.of("cleanup.policy", "compact", "max.message.bytes", maxMessageBytes)
                    : Map.of("max.message.bytes", maxMessageBytes));
        }
        LocalKafkaBroker broker = new LocalKafkaBroker(e.port(), controllerPort, Path.of(e.dataDir()), topics, e.partitions(),
                configs, Map.of("message.max.bytes", maxMessageBytes));
        broker.start();
        return broker;
    }
}
