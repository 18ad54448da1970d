package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code hub.limits.max-record-bytes} rejects one oversized record, not its batch; its dead letter is a stub that
 * fits Kafka; and the producer's {@code max.request.size} is derived from the limit.
 */
@TestPropertySource(properties = {"hub.limits.max-record-bytes=16KB", "hub.limits.max-body-bytes=1MB"})
class RecordSizeEndToEndTest extends HubTestSupport {

    @Value("${camel.component.kafka.max-request-size}")
    long maxRequestSize;

    @Test
    void anOversizedRecordIsRejectedAloneAndTheRestOfTheBatchIsAccepted() {
        String big = "x".repeat(40_000);
        String body = "[{\"sys_id\":\"size-small-1\",\"short_description\":\"fits\"},"
                + "{\"sys_id\":\"size-big\",\"short_description\":\"" + big + "\"},"
                + "{\"sys_id\":\"size-small-2\",\"short_description\":\"fits too\"}]";

        HttpResponse<String> response = ingest("/incidents", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        JsonNode answer = json(response);
        assertThat(answer.path("accepted").asInt()).isEqualTo(2);
        JsonNode rejected = answer.path("results").get(1);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("errors").get(0).path("message").asText()).startsWith("record too large");
        assertThat(value(readResult(answer.path("results").get(0))).path("id").asText()).isEqualTo("size-small-1");
        assertThat(value(readResult(answer.path("results").get(2))).path("id").asText()).isEqualTo("size-small-2");

        ConsumerRecord<String, byte[]> dead = deadLetterOf(answer.path("ingest_id").asText());
        assertThat(header(dead, "hub_error")).contains("record too large");
        assertThat(dead.value().length).isLessThan(1024);
        JsonNode stub = value(dead);
        assertThat(stub.path("hub_error").asText()).isEqualTo("record too large");
        assertThat(stub.path("size_bytes").asLong()).isGreaterThan(40_000);
        assertThat(stub.path("max_record_bytes").asLong()).isEqualTo(16 * 1024);
    }

    @Test
    void theProducersRequestSizeFollowsTheRecordLimit() {
        assertThat(maxRequestSize).isEqualTo(16 * 1024 + RecordSizeLimit.ENVELOPE_BYTES);
    }

    @Test
    void aBodyTooLargeToArchiveIsArchivedAsAStubAndItsRecordsAreStillAccepted() throws Exception {
        // Each record is small; together they are over hub.limits.max-record-bytes, the largest message Kafka takes.
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            String id = "big-" + i + "-" + UUID.randomUUID();
            body.append(i == 0 ? "" : ",").append("{\"sys_id\":\"").append(id).append("\",\"number\":\"INC")
                    .append(i).append("\",\"short_description\":\"Large\",\"description\":\"")
                    .append("x".repeat(3000)).append("\"}");
        }
        String text = body.append("]").toString();
        assertThat(text.length()).isGreaterThan(16 * 1024);
        String bearer = json(requestToken(Map.of("grant_type", "password", "client_id", "archiving-app-token",
                "username", DEMO_USER, "password", DEMO_PASSWORD))).path("access_token").asText();

        HttpResponse<String> answer = post("/incidents", text, Map.of("Content-Type", "application/json",
                "x-app-token", "archiving-app-token", "Authorization", "Bearer " + bearer));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> raw = recordOf("ingest.raw.v1", json(answer).path("ingest_id").asText());
        JsonNode stub = JSON.readTree(raw.value());
        assertThat(stub.path("hub_error").asText()).isEqualTo("record too large");
        assertThat(stub.path("size_bytes").asLong()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
}
