package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The operator's view of the local default: metrics after traffic, the per-request log line, probes, Hawtio and Jolokia without a login. */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability(tracing = false)
class OperationsEndToEndTest extends HubTestSupport {

    @Test
    void countsRecordsRequestsAndKafkaSendsByTag() {
        credentials(); // the harness's own token request happens before the first scrape
        String scrapeBefore = get("/actuator/prometheus").body();
        Map<String, String> accepted = Map.of("tenant", "demo", "entity", "incidents", "outcome", "accepted");
        Map<String, String> rejected = Map.of("tenant", "demo", "entity", "incidents", "outcome", "rejected");
        Map<String, String> partial = Map.of("entity", "incidents", "status", "207");

        HttpResponse<String> response = ingest("/incidents", "[{\"sys_id\":\"m-1\"},{\"sys_id\":\"m-2\"},{\"number\":\"no id\"}]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        assertProblem(ingest("/incidents", "{oops"), 400);
        assertProblem(post("/incidents", "{}", Map.of("Content-Type", "application/json")), 401);
        assertThat(post("/tenant-users/oauth2/token", "{\"grant_type\":\"password\",\"client_id\":\"demo-app-token\","
                + "\"username\":\"svc-ingest@demo.local\",\"password\":\"demo-password\"}",
                Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(200);

        String scrape = get("/actuator/prometheus").body();
        assertThat(moved(scrapeBefore, scrape, "hub_records_total", accepted)).isEqualTo(2.0);
        assertThat(moved(scrapeBefore, scrape, "hub_records_total", rejected)).isEqualTo(1.0);
        assertThat(moved(scrapeBefore, scrape, "hub_request_seconds_count", partial)).isEqualTo(1.0);
        assertThat(moved(scrapeBefore, scrape, "hub_request_seconds_count", Map.of("entity", "incidents", "status", "400")))
                .isEqualTo(1.0);
        assertThat(Scrape.sum(scrape, "hub_request_seconds_bucket", Map.of("entity", "incidents", "status", "207", "le", "+Inf")))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(moved(scrapeBefore, scrape, "hub_kafka_send_seconds_count", Map.of("entity", "incidents", "outcome", "acked")))
                .isEqualTo(1.0);
        assertThat(moved(scrapeBefore, scrape, "hub_auth_failures_total", Map.of("reason", "unauthorized"))).isEqualTo(1.0);
        assertThat(moved(scrapeBefore, scrape, "hub_tokens_issued_total", Map.of("tenant", "demo"))).isEqualTo(1.0);
        assertThat(Scrape.sum(scrape, "camel_exchanges_total", Map.of("routeId", "incidents"))).isGreaterThanOrEqualTo(2.0);
        assertThat(Scrape.sum(scrape, "camel_route_policy_seconds_count", Map.of("routeId", "ingest")))
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void logsOneLinePerRequestWithItsFieldsAndNoPayload(CapturedOutput output) {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        Logger requests = (Logger) LoggerFactory.getLogger("ingesthub.requests");
        events.start();
        requests.addAppender(events);
        HttpResponse<String> response;
        try {
            response = ingest("/alerts", "{\"sys_id\":\"log-1\",\"secret_note\":\"payload-must-not-be-logged\"}");
        } finally {
            requests.detachAppender(events);
        }
        String ingestId = json(response).path("ingest_id").asText();

        ILoggingEvent event = events.list.stream()
                .filter(e -> e.getFormattedMessage().contains(ingestId)).findFirst().orElseThrow();
        Map<String, Object> fields = new java.util.HashMap<>();
        event.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
        assertThat(fields).containsEntry("ingest_id", ingestId).containsEntry("tenant", "demo")
                .containsEntry("entity", "alerts").containsEntry("accepted", 1).containsEntry("rejected", 0)
                .containsEntry("status", 200).containsKeys("app", "data_source", "duration_ms");
        assertThat(fields.get("duration_ms")).isInstanceOf(Double.class);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut()).contains(ingestId));
        String line = output.getOut().lines().filter(l -> l.contains(ingestId)).findFirst().orElseThrow();
        assertThat(line).contains("ingesthub.requests", "ingest_id=" + ingestId, "tenant=demo", "entity=alerts",
                "accepted=1", "rejected=0", "status=200", "duration_ms=");
        assertThat(output.getAll()).doesNotContain("payload-must-not-be-logged");
    }

    @Test
    void logsAndCountsARequestRefusedBeforeThePipeline(CapturedOutput output) {
        String before = get("/actuator/prometheus").body();
        HttpResponse<String> response = ingest("/request-items", "{\"id\":\"big\",\"text\":\"" + "x".repeat(70 * 1024) + "\"}");
        String ingestId = assertProblem(response, 413).path("ingest_id").asText();

        assertThat(moved(before, get("/actuator/prometheus").body(), "hub_request_seconds_count",
                Map.of("entity", "requestitems", "status", "413"))).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
                .contains("ingest_id=" + ingestId).contains("status=413"));
    }

    @Test
    void givesSpringMvcProblemsAnIngestId() {
        HttpResponse<String> wrongMethod = get("/incidents");
        JsonNode problem = assertProblem(wrongMethod, 405);
        assertThat(wrongMethod.headers().firstValue("X-Ingest-Id")).contains(problem.path("ingest_id").asText());

        HttpResponse<String> unknown = get("/no-such-endpoint");
        assertThat(assertProblem(unknown, 404).path("ingest_id").asText()).isNotBlank();
    }

    @Test
    void reportsLiveAndReadyWithKafkaInTheReadinessGroup() {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            assertThat(json(readiness).path("components").path("kafka").path("status").asText()).isEqualTo("UP");
        });
    }

    @Test
    void servesHawtioWithoutALoginInTheLocalDefault() {
        HttpResponse<String> console = get("/actuator/hawtio/");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(console.body()).containsIgnoringCase("hawtio");
    }

    @Test
    void showsTheCamelRoutesThroughJolokia() {
        HttpResponse<String> routes = get("/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/State");
        assertThat(routes.statusCode()).as(routes.body()).isEqualTo(200);
        JsonNode value = json(routes).path("value");
        assertThat(json(routes).path("status").asInt()).isEqualTo(200);
        assertThat(value.toString()).contains("name=\\\"incidents\\\"", "name=\\\"ingest\\\"", "Started");
    }

    @Test
    void servesTheOpenApiDocument() {
        HttpResponse<String> doc = get("/openapi.yaml");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("openapi: 3.1.0", "/tenant-users/oauth2/token:", "/request-items:");
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private static double moved(String before, String after, String name, Map<String, String> labels) {
        double b = Scrape.sum(before, name, labels);
        return Scrape.sum(after, name, labels) - (Double.isNaN(b) ? 0 : b);
    }
}
