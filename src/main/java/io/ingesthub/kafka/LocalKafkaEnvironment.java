package io.ingesthub.kafka;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the Kafka of the run: with {@code camel.component.kafka.brokers} (env {@code KAFKA_BROKERS}) set, that
 * cluster; otherwise the local default's in-process broker, whose address becomes the brokers setting.
 */
public class LocalKafkaEnvironment implements EnvironmentPostProcessor {

    static final String BROKERS = "camel.component.kafka.brokers";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String brokers = env.getProperty(BROKERS);
        if (brokers != null && !brokers.isBlank()) {
            return;
        }
        String port = env.getProperty("hub.kafka.embedded.port", "9092");
        env.getPropertySources().addFirst(new MapPropertySource("hub-local-kafka", Map.of(
                BROKERS, "127.0.0.1:" + port,
                "hub.kafka.embedded.enabled", "true")));
    }
}
