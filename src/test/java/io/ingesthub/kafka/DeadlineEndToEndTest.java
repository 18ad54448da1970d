package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With Kafka out of reach (the settings of KafkaUnavailableEndToEndTest, so both share one hub)
 * a request of many records answers 503 within about one ack timeout, not one per record.
 */
@TestPropertySource(properties = {
        "camel.component.kafka.brokers=127.0.0.1:1",
        "hub.kafka.ack-timeout=2s",
        "hub.health.kafka-interval=500ms",
        "hub.health.kafka-timeout=500ms",
        "hub.limits.max-in-flight=1"})
class DeadlineEndToEndTest extends HubTestSupport {

    @Test
    void aFiftyRecordRequestAnswers503WithinAboutOneAckTimeout() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            body.append(i == 0 ? "" : ",").append("{\"sys_id\":\"deadline-").append(i).append("\"}");
        }
        credentials();
        long start = System.nanoTime();

        HttpResponse<String> response = ingest("/incidents", body.append("]").toString());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(took).isLessThan(Duration.ofMillis(4500));
    }
}
