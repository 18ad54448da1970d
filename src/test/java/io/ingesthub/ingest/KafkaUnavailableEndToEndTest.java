package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With Kafka out of reach the hub confirms nothing: it answers 503 with Retry-After within the ack timeout. */
@TestPropertySource(properties = {
        "camel.component.kafka.brokers=127.0.0.1:1",
        "hub.kafka.ack-timeout=2s"})
class KafkaUnavailableEndToEndTest extends HubTestSupport {

    @Test
    void answers503WithRetryAfterWhenKafkaDoesNotAcknowledge() {
        HttpResponse<String> response = ingest("/incidents", "{\"id\":\"INC-unreachable\"}");

        JsonNode problem = assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(problem.path("detail").asText()).contains("retry");
        assertThat(response.body()).doesNotContain("accepted");
    }
}
