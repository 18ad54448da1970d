package io.ingesthub.kafka;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import java.nio.file.Path;
import java.time.Duration;
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
            // Read by name, not as the monitoring and replay settings' records: those packages use this one.
            @Value("${hub.monitoring.topic:executions.v1}") String executions,
            @Value("${hub.monitoring.max-age:24h}") Duration executionsMaxAge,
            @Value("${hub.replay.raw-topic:raw.v1}") String raw,
            @Value("${hub.replay.topic:replays.v1}") String replayStates) throws Exception {
        HubProperties.Embedded e = hub.kafka().embedded();
        // The topics of the endpoint table's entities and the dead-letter topic, created up front.
        List<String> topics = new ArrayList<>();
        for (String entity : Endpoint.entities()) {
            topics.add(hub.topics().forEntity(entity));
        }
        topics.add(hub.topics().deadLetters());
        String executionsTopic = hub.topics().prefix() + executions;
        topics.add(executionsTopic);
        topics.add(hub.topics().prefix() + raw);
        String replays = hub.topics().prefix() + replayStates;
        topics.add(replays);
        int controllerPort = e.controllerPort() > 0 ? e.controllerPort() : e.port() + 1;
        // Every topic takes the largest record the producer may send (hub.limits.max-record-bytes plus its envelope).
        String maxMessageBytes = Long.toString(RecordSizeLimit.maxRequestSize(sizes.maxBytes()));
        Map<String, Map<String, String>> configs = new HashMap<>();
        for (String t : topics) {
            configs.put(t, new HashMap<>(Map.of("max.message.bytes", maxMessageBytes)));
        }
        configs.get(replays).put("cleanup.policy", "compact");
        // Kept at least as long as the window every replica rebuilds from it at start-up.
        configs.get(executionsTopic).put("retention.ms", Long.toString(executionsMaxAge.toMillis()));
        LocalKafkaBroker broker = new LocalKafkaBroker(e.port(), controllerPort, Path.of(e.dataDir()), topics, e.partitions(),
                configs, Map.of("message.max.bytes", maxMessageBytes));
        broker.start();
        return broker;
    }
}
