package io.ingesthub.kafka;

import io.ingesthub.HubStartupException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Chooses the Kafka of the run: with {@code camel.component.kafka.brokers} (env {@code KAFKA_BROKERS}) set, that
 * cluster; otherwise the local default's in-process broker, whose address becomes the brokers setting. Where
 * {@code hub.kafka.embedded.allowed} is false (the {@code prod} profile) a missing cluster stops the start instead.
 */
public class LocalKafkaEnvironment implements EnvironmentPostProcessor {

    static final String BROKERS = "camel.component.kafka.brokers";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!configuredBrokers(env).isBlank()) {
            return;
        }
        if (!env.getProperty("hub.kafka.embedded.allowed", Boolean.class, true)) {
            throw new HubStartupException(
                    "No Kafka cluster is configured, and this profile does not start the in-process broker"
                            + " (hub.kafka.embedded.allowed=false, set by the prod profile).",
                    "Set KAFKA_BROKERS (camel.component.kafka.brokers) to the cluster's bootstrap servers,"
                            + " e.g. KAFKA_BROKERS=kafka-1:9092,kafka-2:9092.");
        }
        String port = env.getProperty("hub.kafka.embedded.port", "9092");
        env.getPropertySources().addFirst(new MapPropertySource("hub-local-kafka", Map.of(
                BROKERS, "127.0.0.1:" + port,
                "hub.kafka.embedded.enabled", "true")));
    }

    /**
     * The brokers setting with the placeholders resolvable now; one that only resolves later (a test broker's address)
     * counts as set.
     */
    private static String configuredBrokers(ConfigurableEnvironment env) {
        for (PropertySource<?> source : env.getPropertySources()) {
            Object raw = source.getProperty(BROKERS);
            if (raw != null) {
                return env.resolvePlaceholders(raw.toString());
            }
        }
        return "";
    }
}
