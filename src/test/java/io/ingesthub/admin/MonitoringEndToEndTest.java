package io.ingesthub.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.IngestHubApplication;
import io.ingesthub.monitoring.Execution;
import io.ingesthub.monitoring.ExecutionsPublisher;
import io.ingesthub.support.HubTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The monitoring endpoints over real HTTP: executions published to {@code ingest.executions.v1} come back from
 * {@code /admin/data-sources/{ds}/…} and {@code /dsexecution}, and a second hub on the same broker answers the same.
 */
class MonitoringEndToEndTest extends HubTestSupport {

    @Autowired
    ExecutionsPublisher publisher;

    @Test
    void twoHubsOnOneBrokerAnswerTheSameExecutionsStatsAndErrors() {
        try (ConfigurableApplicationContext second = secondHub()) {
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            Instant now = Instant.now();
            String failed = UUID.randomUUID().toString();
            publisher.publish(exec(UUID.randomUUID().toString(), 200, 3, 0, null, now.minusSeconds(30)));
            publisher.publish(exec(UUID.randomUUID().toString(), 207, 1, 2, "priority: required", now.minusSeconds(20)));
            publisher.publish(exec(failed, 401, 0, 0, "The access token has expired.", now.minusSeconds(10)));

            String stats = "/admin/data-sources/acme-jira/stats?window=1h";
            await().atMost(Duration.ofSeconds(20)).until(() -> json(get(port, stats)).path("requests").asInt() == 3
                    && json(get(secondPort, stats)).path("requests").asInt() == 3);

            JsonNode here = json(get(port, stats));
            assertThat(json(get(secondPort, stats))).isEqualTo(here);
            assertThat(here.path("tenant").asText()).isEqualTo("acme");
            assertThat(here.path("accepted").asInt()).isEqualTo(4);
            assertThat(here.path("rejected").asInt()).isEqualTo(2);
            assertThat(here.path("dead_letters").asInt()).isEqualTo(2);
            assertThat(here.path("by_status").path("401").asInt()).isEqualTo(1);
            assertThat(here.path("last_failure_reason").asText()).isEqualTo("The access token has expired.");
            assertThat(here.path("last_success").asText()).isEqualTo(now.minusSeconds(30).toString());

            for (String path : new String[] {"/admin/data-sources/acme-jira/executions", "/admin/data-sources/acme-jira/errors",
                    "/dsexecution?tenantId=acme&datasourceId=acme-jira"}) {
                assertThat(json(get(secondPort, path))).as(path).isEqualTo(json(get(port, path)));
            }
            JsonNode executions = json(get(port, "/admin/data-sources/acme-jira/executions"));
            assertThat(executions.path("executions")).hasSize(3);
            assertThat(executions.path("executions").get(0).path("ingest_id").asText()).isEqualTo(failed);
            assertThat(executions.toString()).doesNotContain("token\":").doesNotContain("password");
            JsonNode errors = json(get(port, "/admin/data-sources/acme-jira/errors"));
            assertThat(errors.path("errors")).extracting(e -> e.path("status").asInt()).containsExactly(401, 207);

            JsonNode ds = json(get(port, "/dsexecution?tenantId=acme&datasourceId=acme-jira")).path("executions").get(0);
            assertThat(ds.path("status").asText()).isEqualTo("failing");
            assertThat(ds.path("executionId").asText()).isEqualTo(failed);
            assertThat(ds.path("successCount").asInt()).isEqualTo(4);
            assertThat(ds.path("failureCount").asInt()).isEqualTo(2);
            assertThat(ds.path("requestCount").asInt()).isEqualTo(3);
        }
    }

    @Test
    void everyRequestThroughThePipelineLeavesItsExecutionRecordWithTheReasonButNoCredential() {
        String ok = "{\"sys_id\":\"exec-ok-" + UUID.randomUUID() + "\",\"number\":\"INC1\",\"short_description\":\"fine\"}";
        HttpResponse<String> mixed = ingest("/incidents", "[" + ok + ",{\"number\":\"INC-NO-ID\"}]");
        assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(207);
        HttpResponse<String> malformed = ingest("/incidents", "{\"sys_id\":");
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        String mixedId = mixed.headers().firstValue("X-Ingest-Id").orElseThrow();
        String malformedId = malformed.headers().firstValue("X-Ingest-Id").orElseThrow();

        String path = "/admin/data-sources/demo-servicenow/executions?limit=500";
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String all = json(get(port, path)).toString();
            return all.contains(mixedId) && all.contains(malformedId);
        });
        JsonNode executions = json(get(port, path)).path("executions");
        JsonNode first = find(executions, mixedId);
        assertThat(first.path("status").asInt()).isEqualTo(207);
        assertThat(first.path("accepted").asInt()).isEqualTo(1);
        assertThat(first.path("rejected").asInt()).isEqualTo(1);
        assertThat(first.path("app").asText()).isEqualTo("itsm-assistant");
        assertThat(first.path("entity").asText()).isEqualTo("incidents");
        assertThat(first.path("reason").asText()).startsWith("id: ");
        JsonNode second = find(executions, malformedId);
        assertThat(second.path("status").asInt()).isEqualTo(400);
        assertThat(second.path("reason").asText()).isEqualTo(json(malformed).path("detail").asText());
        String bearer = credentials().get("Authorization").substring("Bearer ".length());
        assertThat(executions.toString()).doesNotContain(bearer).doesNotContain(DEMO_APP_TOKEN).doesNotContain("fine");
    }

    private static JsonNode find(JsonNode executions, String ingestId) {
        for (JsonNode e : executions) {
            if (e.path("ingest_id").asText().equals(ingestId)) {
                return e;
            }
        }
        throw new AssertionError("no execution " + ingestId + " in " + executions);
    }

    @Test
    void publishesTheExecutionsOfOneDataSourceAsArraysOfSeveralPerRecord() {
        String ds = "batch-" + UUID.randomUUID();
        Instant now = Instant.now();
        for (int i = 0; i < 20; i++) {
            publisher.publish(new Execution("b-" + i, "acme", ds, "acme-portal", "incidents", 200, 1, 0, 3, null, now));
        }
        List<JsonNode> values = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            values.clear();
            values.addAll(valuesKeyed(publisher.topic(), "acme:" + ds));
            return values.stream().mapToInt(JsonNode::size).sum() >= 20;
        });
        assertThat(values).allSatisfy(v -> assertThat(v.isArray()).isTrue());
        assertThat(values.size()).as("records for 20 executions queued at once").isLessThanOrEqualTo(2);
        assertThat(values.stream().flatMap(v -> StreamSupport.stream(v.spliterator(), false))
                .map(e -> e.path("ingest_id").asText())).hasSize(20).doesNotHaveDuplicates();
    }

    private List<JsonNode> valuesKeyed(String topic, String key) {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline)
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(value(r));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void refusesUnknownDataSourcesAndBadWindowsAsProblems() {
        assertProblem(get(port, "/admin/data-sources/nope/stats"), 404);
        assertProblem(get(port, "/admin/data-sources/acme-jira/stats?window=forever"), 400);
        assertProblem(get(port, "/admin/data-sources/acme-jira/stats?window=30d"), 400);
        assertProblem(get(port, "/admin/data-sources/acme-jira/executions?limit=0"), 400);
        assertProblem(get(port, "/dsexecution?tenantId=acme"), 400);
        assertProblem(get(port, "/dsexecution?tenantId=demo&datasourceId=acme-jira"), 404);
    }

    @Test
    void servesTheStatusPageWithItsChartLibraryFromTheJar() {
        HttpResponse<String> page = get(port, "/admin/status");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(page.body()).contains("/webjars/chart.js/4.4.1/dist/chart.umd.js").doesNotContain("https://");
        HttpResponse<String> chart = get(port, "/webjars/chart.js/4.4.1/dist/chart.umd.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart");
        JsonNode data = json(get(port, "/admin/status/data"));
        assertThat(data.path("data_sources")).extracting(d -> d.path("data_source").asText())
                .contains("demo-servicenow", "demo-jira", "acme-jira");
        assertThat(data.path("data_sources").get(0).path("series")).hasSize(60);
    }

    private static Execution exec(String id, int status, int accepted, int rejected, String reason, Instant at) {
        return new Execution(id, "acme", "acme-jira", "acme-portal", "incidents", status, accepted, rejected, 15, reason, at);
    }

    private HttpResponse<String> get(int onPort, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + path)).GET().build());
    }

    private ConfigurableApplicationContext secondHub() {
        return new SpringApplicationBuilder(IngestHubApplication.class).run(
                "--server.port=0",
                "--camel.component.kafka.brokers=" + broker.getBrokersAsString(),
                "--hub.registry.file=" + REGISTRY_COPY,
                "--hub.tokens.secret=" + TOKEN_SECRET,
                "--camel.main.name=ingest-hub-second",
                "--camel.main.jmx-enabled=false",
                "--spring.jmx.enabled=false");
    }
}
