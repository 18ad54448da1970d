package io.ingesthub.monitoring;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.kafka.KafkaClients;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

/** The publisher refuses a flush interval that would never flush or would hold executions back for long. */
class ExecutionsPublisherTest {

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "-PT1S", "PT10.001S", "PT1H"})
    void refusesAFlushIntervalOutsideItsBounds(String interval) {
        MonitoringProperties properties = new MonitoringProperties("executions.v1", 10, Duration.ofHours(1), 10,
                Duration.parse(interval), 200);
        KafkaClients kafka = new KafkaClients(new MockEnvironment()
                .withProperty("camel.component.kafka.brokers", "127.0.0.1:1"));
        assertThatThrownBy(() -> new ExecutionsPublisher(new ObjectMapper(), kafka, properties, "ingest."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.monitoring.flush-interval");
    }
}
