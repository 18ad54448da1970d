package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.Endpoint;
import io.ingesthub.support.HubTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every webhook path over real HTTP into Kafka, and every request-level refusal of the contract. The test caller's
 * data source maps with the {@code servicenow} set, so records are ServiceNow-shaped; /conversations, which that set
 * does not map, is proven in {@code MappingEndToEndTest}.
 */
class IngestEndToEndTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    /** Every endpoint of the table whose entity the caller's {@code servicenow} set maps: path, topic, entity. */
    static Stream<Arguments> servicenowEndpoints() {
        return Endpoint.table().stream()
                .filter(e -> Files.exists(Path.of("mappings/servicenow/" + e.entity() + ".yaml")))
                .map(e -> Arguments.of(e.path(), "ingest." + e.entity() + ".v1", e.entity()));
    }

    @ParameterizedTest(name = "{0} publishes to {1}")
    @MethodSource("servicenowEndpoints")
    void publishesEveryEndpointToItsEntityTopic(String path, String topic, String entity) {
        String id = "e2e-" + entity + "-" + System.nanoTime();
        HttpResponse<String> response = ingest(path, "{\"sys_id\":\"" + id + "\",\"short_description\":\"Disk full on db-01\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.path("accepted").asInt()).isEqualTo(1);
        assertThat(answer.path("rejected").asInt()).isZero();
        JsonNode result = answer.path("results").get(0);
        assertThat(result.path("index").asInt()).isZero();
        assertThat(result.path("id").asText()).isEqualTo(id);
        assertThat(result.path("status").asText()).isEqualTo("accepted");
        assertThat(result.path("topic").asText()).isEqualTo(topic);
        assertThat(response.headers().firstValue("X-Ingest-Id")).contains(answer.path("ingest_id").asText());

        ConsumerRecord<String, byte[]> record = readResult(result);
        String tenant = value(record).path("tenant").asText();
        String dataSource = value(record).path("data_source").asText();
        assertThat(record.key()).isEqualTo(tenant + ":" + dataSource + ":" + id);
        assertThat(value(record).path("id").asText()).isEqualTo(id);
        assertThat(value(record).path("entity").asText()).isEqualTo(entity);
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("ingesthub." + entity + ".v1");
        assertThat(header(record, "ce_source")).isEqualTo("/tenants/" + tenant + "/data-sources/" + dataSource);
        assertThat(header(record, "ce_subject")).isEqualTo(id);
        assertThat(header(record, "ce_id")).matches("[0-9a-f]{32}");
        assertThat(header(record, "ce_time")).isNotBlank();
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(header(record, "hub_tenant")).isEqualTo(tenant);
        assertThat(header(record, "hub_data_source")).isEqualTo(dataSource);
        assertThat(header(record, "hub_app")).isNotBlank();
        assertThat(header(record, "hub_ingest_id")).isEqualTo(answer.path("ingest_id").asText());
        assertThat(record.headers().lastHeader("Authorization")).isNull();
        assertThat(record.headers().lastHeader("x-app-token")).isNull();
    }

    @Test
    void answersWithEveryRecordOfABatchInOrder() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            body.append(i == 0 ? "" : ",").append("{\"sys_id\":\"batch-").append(i).append("\"}");
        }
        HttpResponse<String> response = ingest("/incidents", body.append("]").toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json(response).path("results");
        assertThat(results).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(results.get(i).path("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).path("id").asText()).isEqualTo("batch-" + i);
            assertThat(value(readResult(results.get(i))).path("id").asText()).isEqualTo("batch-" + i);
        }
    }

    @Test
    void answersDeclareTheirLengthInsteadOfChunking() {
        // A non-ASCII id makes the length in bytes differ from the length in characters.
        HttpResponse<String> accepted = ingest("/incidents", "{\"sys_id\":\"länge-1\"}");
        HttpResponse<String> refused = ingest("/incidents", "{\"id\": oops}");

        for (HttpResponse<String> response : List.of(accepted, refused)) {
            assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(response.headers().firstValueAsLong("Content-Length"))
                    .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
    }

    @Test
    void sameRecordTwiceKeepsItsCloudEventsId() {
        String body = "{\"sys_id\":\"dup-1\",\"short_description\":\"same\"}";
        JsonNode first = json(ingest("/alerts", body)).path("results").get(0);
        JsonNode second = json(ingest("/alerts", body)).path("results").get(0);

        assertThat(second.path("offset").asLong()).isNotEqualTo(first.path("offset").asLong());
        assertThat(header(readResult(second), "ce_id")).isEqualTo(header(readResult(first), "ce_id"));
    }

    @Test
    void refusesMalformedJsonSayingWhere() {
        JsonNode problem = assertProblem(ingest("/incidents", "{\n  \"id\": \"x\",\n  oops\n}"), 400);
        assertThat(problem.path("detail").asText()).contains("line 3");
        assertThat(problem.path("instance").asText()).isEqualTo("/incidents");
    }

    @Test
    void refusesABodyThatIsNeitherObjectNorArray() {
        assertThat(assertProblem(ingest("/incidents", "\"just a string\""), 400).path("detail").asText())
                .contains("string");
        assertProblem(ingest("/incidents", ""), 400);
    }

    @Test
    void refusesANonJsonContentType() {
        Map<String, String> headers = new java.util.HashMap<>(credentials());
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        HttpResponse<String> response = post("/changes", "id=1", headers);
        assertThat(assertProblem(response, 415).path("detail").asText()).contains("application/x-www-form-urlencoded");
        // a form body with a broken escape is refused the same way, never decoded (it used to fail with a 500)
        assertProblem(post("/changes", "id=%zz", headers), 415);
        assertThat(assertProblem(post("/alerts", "{}", Map.of()), 415).path("detail").asText()).contains("no Content-Type");
    }

    @Test
    void refusesBodiesThatAreNotJsonText() {
        HttpRequest invalidUtf8 = HttpRequest.newBuilder(uri("/incidents"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xff, '"', '}'}))
                .build();
        HttpRequest.Builder withCredentials = HttpRequest.newBuilder(invalidUtf8, (name, value) -> true);
        credentials().forEach(withCredentials::header);
        assertProblem(send(withCredentials.build()), 400);

        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(assertProblem(ingest("/incidents", deep), 400).path("detail").asText())
                .startsWith("Malformed JSON").contains("nesting");
    }

    @Test
    void aRouteAddedFromTheWebhookTemplateGetsTheSameAdmissionChecks() throws Exception {
        camel.addRouteFromTemplate("tickets", "webhook",
                Map.of("path", "/tickets", "entity", "incidents", "credentials", "at"));
        try {
            Map<String, String> text = new java.util.HashMap<>(credentials());
            text.put("Content-Type", "text/plain");
            assertThat(assertProblem(post("/tickets", "{\"sys_id\":\"t-1\"}", text), 415).path("detail").asText())
                    .contains("not JSON");
            String big = "{\"sys_id\":\"big\",\"text\":\"" + "x".repeat(70 * 1024) + "\"}";
            assertThat(assertProblem(ingest("/tickets", big), 413).path("detail").asText()).contains("max-body-bytes");
            HttpResponse<String> accepted = ingest("/tickets", "{\"sys_id\":\"t-2\"}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(json(accepted).path("results").get(0).path("topic").asText()).isEqualTo("ingest.incidents.v1");
        } finally {
            camel.getRouteController().stopRoute("tickets");
            camel.removeRoute("tickets");
        }
    }

    @Test
    void refusesADeclaredBodyOverTheLimitBeforeReadingIt() {
        String big = "{\"id\":\"big\",\"text\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertThat(assertProblem(ingest("/incidents", big), 413).path("detail").asText()).contains("max-body-bytes");
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWhileItStreams() {
        byte[] big = ("{\"id\":\"big\",\"text\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();
        // Credentials are checked before a body is buffered: the caller is known, its body is too large.
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/incidents"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        credentials().forEach(request::header);
        assertThat(assertProblem(send(request.build()), 413).path("detail").asText()).contains("max-body-bytes");
    }

    @Test
    void refusesMoreRecordsThanTheLimit() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"r").append(i).append("\"}");
        }
        assertThat(assertProblem(ingest("/alerts", body.append("]").toString()), 413).path("detail").asText())
                .contains("max-records");
    }

    @Test
    void refusesAWrongMethod() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/incidents")).GET().build());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
    }
}
