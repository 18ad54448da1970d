package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With Kafka out of reach the hub confirms nothing: it answers 503 with Retry-After within the ack timeout, a request
 * waiting for Kafka counts against {@code hub.limits.max-in-flight} until it is answered (while the probes are still
 * served), and the hub stays live but reports itself not ready.
 */
@TestPropertySource(properties = {
        "camel.component.kafka.brokers=127.0.0.1:1",
        "hub.kafka.ack-timeout=2s",
        "hub.health.kafka-interval=500ms",
        "hub.health.kafka-timeout=500ms",
        "hub.limits.max-in-flight=1"})
class KafkaUnavailableEndToEndTest extends HubTestSupport {

    @Test
    void answers503WithRetryAfterWhenKafkaDoesNotAcknowledge() {
        HttpResponse<String> response = ingest("/incidents", "{\"sys_id\":\"INC-unreachable\"}");

        JsonNode problem = assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(problem.path("detail").asText()).contains("retry");
        assertThat(response.body()).doesNotContain("accepted");
    }

    @Test
    void aRequestWaitingForKafkaStaysInFlightUntilAnswered() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(credentials());
        headers.put("Content-Type", "application/json");
        HttpRequest.Builder waiting = HttpRequest.newBuilder(uri("/alerts"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"sys_id\":\"waits-for-kafka\"}"));
        headers.forEach(waiting::header);
        CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(waiting.build(), HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> second = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> post("/alerts", "{\"sys_id\":\"second\"}", headers),
                        r -> r.statusCode() == 503 && r.body().contains("in flight"));

        assertThat(assertProblem(second, 503).path("detail").asText()).contains("max-in-flight");
        // The waiting request holds its servlet thread; the threads kept spare still answer the probes.
        HttpResponse<String> liveness = send(HttpRequest.newBuilder(uri("/actuator/health/liveness")).GET().build());
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(first).isNotDone();
        HttpResponse<String> answered = first.get();
        assertThat(assertProblem(answered, 503).path("detail").asText()).contains("Kafka");
    }

    @Test
    void isLiveButNotReadyWhileKafkaIsUnreachable() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> readiness = send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET().build());
            assertThat(readiness.statusCode()).isEqualTo(503);
            JsonNode kafka = json(readiness).path("components").path("kafka");
            assertThat(kafka.path("status").asText()).isEqualTo("DOWN");
            assertThat(kafka.path("details").path("checkedAt").asText()).isNotBlank();
        });
        HttpResponse<String> liveness = send(HttpRequest.newBuilder(uri("/actuator/health/liveness")).GET().build());
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"");
    }
}
