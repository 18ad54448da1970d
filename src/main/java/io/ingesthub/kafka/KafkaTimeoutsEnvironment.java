package io.ingesthub.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives the Kafka producer's timeouts from {@code hub.kafka.ack-timeout}, so a request answers 503 in about that
 * time instead of hanging: {@code max-block-ms} (waiting for metadata while Kafka is away) and
 * {@code delivery-timeout-ms} (waiting for the acknowledgement) equal it, {@code request-timeout-ms} fits inside.
 * Settings made explicitly under {@code camel.component.kafka.*} win.
 */
public class KafkaTimeoutsEnvironment implements EnvironmentPostProcessor {

    static final String PREFIX = "camel.component.kafka.";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Duration ack = DurationStyle.detectAndParse(env.getProperty("hub.kafka.ack-timeout", "10s"));
        long ackMs = Math.max(1000, ack.toMillis());
        long lingerMs = Long.parseLong(env.getProperty(PREFIX + "linger-ms", "0"));
        Map<String, Object> derived = new HashMap<>();
        derived.put(PREFIX + "max-block-ms", Long.toString(ackMs));
        derived.put(PREFIX + "delivery-timeout-ms", Long.toString(ackMs));
        derived.put(PREFIX + "request-timeout-ms", Long.toString(Math.max(500, ackMs - lingerMs - 100)));
        env.getPropertySources().addLast(new MapPropertySource("hub-kafka-timeouts", derived));
    }
}
