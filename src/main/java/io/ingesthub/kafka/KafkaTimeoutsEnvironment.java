package io.ingesthub.kafka;

import io.ingesthub.HubStartupException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * Derives the Kafka producer's timeouts from {@code hub.kafka.ack-timeout}, so a request answers 503 in about that
 * time instead of hanging: {@code max-block-ms} (waiting for metadata while Kafka is away) and
 * {@code delivery-timeout-ms} (waiting for the acknowledgement) equal it, {@code request-timeout-ms} fits inside.
 * It also ties {@code hub.limits.max-record-bytes} and the producer's {@code max-request-size} together (one is
 * derived from the other, and a pair that disagrees stops the start). Settings made explicitly under
 * {@code camel.component.kafka.*} win.
 */
public class KafkaTimeoutsEnvironment implements EnvironmentPostProcessor {

    static final String PREFIX = "camel.component.kafka.";
    static final String MAX_RECORD_BYTES = "hub.limits.max-record-bytes";
    static final String MAX_REQUEST_SIZE = PREFIX + "max-request-size";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Duration ack = DurationStyle.detectAndParse(env.getProperty("hub.kafka.ack-timeout", "10s"));
        long ackMs = Math.max(1000, ack.toMillis());
        long lingerMs = Long.parseLong(env.getProperty(PREFIX + "linger-ms", "0"));
        Map<String, Object> derived = new HashMap<>();
        derived.put(PREFIX + "max-block-ms", Long.toString(ackMs));
        derived.put(PREFIX + "delivery-timeout-ms", Long.toString(ackMs));
        derived.put(PREFIX + "request-timeout-ms", Long.toString(Math.max(500, ackMs - lingerMs - 100)));
        sizes(env, derived);
        env.getPropertySources().addLast(new MapPropertySource("hub-kafka-timeouts", derived));
    }

    private static void sizes(ConfigurableEnvironment env, Map<String, Object> derived) {
        String record = env.getProperty(MAX_RECORD_BYTES);
        String request = env.getProperty(MAX_REQUEST_SIZE);
        if (record != null && request != null) {
            long recordBytes = DataSize.parse(record).toBytes();
            long requestBytes = Long.parseLong(request.trim());
            if (requestBytes < RecordSizeLimit.maxRequestSize(recordBytes)) {
                throw new HubStartupException(
                        "hub.limits.max-record-bytes (" + recordBytes + ") does not fit the producer's max-request-size ("
                                + requestBytes + "): records under the hub's limit would fail in Kafka.",
                        "Set only one of them (the other is derived), or raise camel.component.kafka.max-request-size"
                                + " to at least " + RecordSizeLimit.maxRequestSize(recordBytes) + ".");
            }
        } else if (request != null) {
            long requestBytes = Long.parseLong(request.trim());
            derived.put(MAX_RECORD_BYTES, Long.toString(Math.max(1024, requestBytes - RecordSizeLimit.ENVELOPE_BYTES)));
        } else {
            long recordBytes = record != null ? DataSize.parse(record).toBytes() : RecordSizeLimit.DEFAULT_BYTES;
            derived.put(MAX_RECORD_BYTES, Long.toString(recordBytes));
            derived.put(MAX_REQUEST_SIZE, Long.toString(RecordSizeLimit.maxRequestSize(recordBytes)));
        }
    }
}
