package io.ingesthub.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.monitoring.Execution;
import io.ingesthub.monitoring.ExecutionWindow;
import io.ingesthub.support.HubTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Replays over real HTTP against the in-process broker: dead letters and raw archive messages written as the pipeline
 * writes them, mapped again with the mapping as it is now, published with their original key and the replay's headers;
 * plus the one walk through the pipeline (broken mapping → DLQ → fixed file → replay) and the refusals.
 */
class ReplayEndToEndTest extends HubTestSupport {

    private static final Path DIR = copyOfShippedMappings();
    private static final String INCIDENT = "servicenow/incidents.minimal.json";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("hub.mappings.dir", DIR::toString);
        registry.add("hub.mappings.reload-interval", () -> "200ms");
        registry.add("hub.replay.rate", () -> "300");
        registry.add("hub.replay.lost-after", () -> "3s");
    }

    private static KafkaProducer<String, byte[]> producer;

    @Autowired
    MappingCatalog catalog;

    @Autowired
    ExecutionWindow executions;

    @BeforeAll
    static void noProducerYet() {
        producer = null;
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void replaysARecordRejectedByABrokenMappingAfterTheFileIsFixed() throws Exception {
        Path file = DIR.resolve("servicenow/incidents.yaml");
        String good = Files.readString(file);
        String broken = good.replace("  priority:\n    path: \"$.priority\"", "  priority:\n    required: true\n    path: \"$.priority\"");
        assertThat(broken).isNotEqualTo(good);
        Files.writeString(file, broken);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ingest("/incidents", sample(INCIDENT)).statusCode() == 422);
            Instant since = Instant.now().minusSeconds(1);
            HttpResponse<String> rejected = ingest("/incidents", sample(INCIDENT));
            assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(422);
            String ingestId = rejected.headers().firstValue("X-Ingest-Id").orElseThrow();
            String id = json(rejected).path("results").get(0).path("id").asText();

            Files.writeString(file, good);
            await().atMost(Duration.ofSeconds(10)).until(() -> catalog.map(catalog.find("servicenow", "incidents"), JSON.readTree(sample(INCIDENT))).accepted());

            JsonNode done = replayUntilFinished(Map.of("data_source", "demo-servicenow", "from", "dlq",
                    "since", since.toString(), "ingest_id", ingestId));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
            assertThat(done.path("matched").asLong()).isEqualTo(1);
            assertThat(done.path("accepted").asLong()).isEqualTo(1);
            assertThat(done.path("rejected").asLong()).isZero();

            ConsumerRecord<String, byte[]> replayed = single(replayedOn("ingest.incidents.v1", done.path("id").asText(), 1));
            assertThat(replayed.key()).isEqualTo("demo:demo-servicenow:" + id);
            assertThat(header(replayed, "hub_ingest_id")).isEqualTo(ingestId);
            assertThat(header(replayed, "hub_replayed_from")).startsWith("ingest.dlq.v1/");
            assertThat(header(replayed, "ce_type")).isEqualTo("ingesthub.incidents.v1");
            assertThat(header(replayed, "ce_source")).isEqualTo("/tenants/demo/data-sources/demo-servicenow");
            assertThat(value(replayed).path("id").asText()).isEqualTo(id);
            assertThat(value(replayed).path("tenant").asText()).isEqualTo("demo");
        } finally {
            Files.writeString(file, good);
        }
    }

    @Test
    void replaysOnlyTheDeadLettersOfItsOwnTenantWithTheirOriginalKeys() {
        String marker = "marker-" + UUID.randomUUID();
        Instant since = Instant.now().minusSeconds(1);
        deadLetter("demo", "demo-servicenow", "incidents", "inc-a", marker);
        deadLetter("demo", "demo-servicenow", "incidents", "inc-b", marker);
        deadLetter("acme", "demo-servicenow", "incidents", "inc-foreign", marker);
        deadLetter("demo", "demo-jira", "incidents", "inc-other-source", marker);

        JsonNode done = replayUntilFinished(Map.of("data_source", "demo-servicenow", "from", "dlq",
                "since", since.toString(), "error_contains", marker));

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("scanned").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(done.path("matched").asLong()).isEqualTo(2);
        assertThat(done.path("accepted").asLong()).isEqualTo(2);
        List<ConsumerRecord<String, byte[]>> out = replayedOn("ingest.incidents.v1", done.path("id").asText(), 2);
        assertThat(out).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("demo:demo-servicenow:inc-a", "demo:demo-servicenow:inc-b");
        assertThat(out).allSatisfy(r -> assertThat(header(r, "hub_tenant")).isEqualTo("demo"));
    }

    @Test
    void replaysARequestBodyFromTheRawArchive() {
        String ingestId = UUID.randomUUID().toString();
        Instant since = Instant.now().minusSeconds(1);
        send("ingest.raw.v1", "demo:demo-servicenow:" + ingestId,
                ("[" + incident("raw-1") + "," + incident("raw-2") + "]").getBytes(StandardCharsets.UTF_8),
                Map.of("hub_tenant", "demo", "hub_app", "itsm-assistant", "hub_data_source", "demo-servicenow",
                        "hub_ingest_id", ingestId, "hub_entity", "incidents", "content-type", "application/json"));

        JsonNode done = replayUntilFinished(Map.of("data_source", "demo-servicenow", "from", "raw",
                "since", since.toString(), "ingest_id", ingestId));

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("matched").asLong()).isEqualTo(1);
        assertThat(done.path("accepted").asLong()).isEqualTo(2);
        List<ConsumerRecord<String, byte[]>> out = replayedOn("ingest.incidents.v1", done.path("id").asText(), 2);
        assertThat(out).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("demo:demo-servicenow:raw-1", "demo:demo-servicenow:raw-2");
        assertThat(out).allSatisfy(r -> assertThat(header(r, "hub_replayed_from")).startsWith("ingest.raw.v1/"));
    }

    @Test
    void archivesTheBodyOfAnArchivingDataSourceInTheRecordsSendAndReplaysItFromThere() throws Exception {
        String a = "arch-" + UUID.randomUUID();
        String b = "arch-" + UUID.randomUUID();
        String body = "[ " + incident(a) + ",\n  " + incident(b) + " ]";
        Instant since = Instant.now().minusSeconds(1);
        JsonNode token = json(requestToken(Map.of("grant_type", "password", "client_id", "archiving-app-token",
                "username", DEMO_USER, "password", DEMO_PASSWORD)));
        String bearer = token.path("access_token").asText();
        HttpResponse<String> answer = post("/incidents", body, Map.of("Content-Type", "application/json",
                "x-app-token", "archiving-app-token", "Authorization", "Bearer " + bearer));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String ingestId = answer.headers().firstValue("X-Ingest-Id").orElseThrow();

        // Read only up to the end offsets as they are right after the answer: the archive was acknowledged before it.
        ConsumerRecord<String, byte[]> raw = null;
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> tps = c.partitionsFor("ingest.raw.v1").stream()
                    .map(p -> new TopicPartition("ingest.raw.v1", p.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            c.assign(tps);
            c.seekToBeginning(tps);
            Instant deadline = Instant.now().plusSeconds(15);
            while (raw == null && Instant.now().isBefore(deadline)
                    && tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))
                            && ingestId.equals(header(r, "hub_ingest_id"))) {
                        raw = r;
                    }
                }
            }
        }
        assertThat(raw).as("the raw archive record of " + ingestId + ", acknowledged before the answer").isNotNull();
        assertThat(raw.key()).isEqualTo("demo:demo-archive:" + ingestId);
        assertThat(new String(raw.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(header(raw, "hub_tenant")).isEqualTo("demo");
        assertThat(header(raw, "hub_app")).isEqualTo("archiving-app");
        assertThat(header(raw, "hub_data_source")).isEqualTo("demo-archive");
        assertThat(header(raw, "hub_entity")).isEqualTo("incidents");
        assertThat(header(raw, "content-type")).isEqualTo("application/json");
        for (org.apache.kafka.common.header.Header h : raw.headers()) {
            String v = new String(h.value(), StandardCharsets.UTF_8);
            assertThat(v).as(h.key()).doesNotContain("archiving-app-token").doesNotContain(bearer);
        }

        JsonNode done = replayUntilFinished(Map.of("data_source", "demo-archive", "from", "raw",
                "since", since.toString(), "ingest_id", ingestId));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("matched").asLong()).isEqualTo(1);
        assertThat(done.path("accepted").asLong()).isEqualTo(2);
        String from = "ingest.raw.v1/" + raw.partition() + "/" + raw.offset();
        List<ConsumerRecord<String, byte[]>> out = replayedOn("ingest.incidents.v1", done.path("id").asText(), 2);
        assertThat(out).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("demo:demo-archive:" + a, "demo:demo-archive:" + b);
        assertThat(out).allSatisfy(r -> {
            assertThat(header(r, "hub_replayed_from")).isEqualTo(from);
            assertThat(header(r, "hub_ingest_id")).isEqualTo(ingestId);
            assertThat(header(r, "hub_app")).isEqualTo("archiving-app");
        });
    }

    @Test
    void aDryRunShowsTheMappedRecordsAndPublishesNothing() {
        String marker = "marker-" + UUID.randomUUID();
        Instant since = Instant.now().minusSeconds(1);
        deadLetter("demo", "demo-servicenow", "incidents", "dry-1", marker);
        deadLetter("demo", "demo-servicenow", "incidents", "dry-2", "something else");

        JsonNode done = replayUntilFinished(Map.of("data_source", "demo-servicenow", "from", "dlq",
                "since", since.toString(), "error_contains", marker, "dry_run", true));

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("dry_run").asBoolean()).isTrue();
        assertThat(done.path("accepted").asLong()).isEqualTo(1);
        assertThat(done.path("outputs")).hasSize(1);
        JsonNode output = done.path("outputs").get(0);
        assertThat(output.path("key").asText()).isEqualTo("demo:demo-servicenow:dry-1");
        assertThat(output.path("topic").asText()).isEqualTo("ingest.incidents.v1");
        assertThat(output.path("record").path("title").asText()).isEqualTo("Replayed dry-1");
        assertThat(replayedOn("ingest.incidents.v1", done.path("id").asText(), 0)).isEmpty();
    }

    @Test
    void countsTheRecordsTheMappingStillRejectsWithTheirReasons() {
        String marker = "marker-" + UUID.randomUUID();
        Instant since = Instant.now().minusSeconds(1);
        send("ingest.dlq.v1", "demo:demo-servicenow:x#0", "{\"number\":\"INC1\"}".getBytes(StandardCharsets.UTF_8),
                dlqHeaders("demo", "demo-servicenow", "incidents", marker));

        JsonNode done = replayUntilFinished(Map.of("data_source", "demo-servicenow", "from", "dlq",
                "since", since.toString(), "error_contains", marker));

        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.path("rejected").asLong()).isEqualTo(1);
        assertThat(done.path("accepted").asLong()).isZero();
        assertThat(done.path("rejections").get(0).asText()).startsWith("ingest.dlq.v1/").contains("id: required");
    }

    @Test
    void cancelStopsALongReplay() {
        String marker = "marker-" + UUID.randomUUID();
        Instant since = Instant.now().minusSeconds(1);
        for (int i = 0; i < 3000; i++) {
            deadLetter("demo", "demo-servicenow", "incidents", "long-" + i, marker);
        }
        JsonNode started = json(startReplay(Map.of("data_source", "demo-servicenow", "from", "dlq",
                "since", since.toString(), "error_contains", marker)));
        String id = started.path("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> json(get("/admin/replays/" + id)).path("accepted").asLong() > 0);

        HttpResponse<String> cancel = send(HttpRequest.newBuilder(uri("/admin/replays/" + id)).DELETE().build());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);

        JsonNode done = await().atMost(Duration.ofSeconds(20)).until(() -> json(get("/admin/replays/" + id)),
                s -> !s.path("status").asText().equals("running"));
        assertThat(done.path("status").asText()).isEqualTo("cancelled");
        assertThat(done.path("accepted").asLong()).isBetween(1L, 2999L);
    }

    @Test
    void reportsAReplayWhoseWorkerFellSilentAsFailed() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant old = Instant.now().minusSeconds(60);
        ObjectNode state = JSON.createObjectNode().put("id", id).put("tenant", "demo").put("data_source", "demo-servicenow")
                .put("from", "dlq").put("status", "running").put("scanned", 7).put("worker", "replica-gone")
                .put("started_at", old.toString()).put("heartbeat_at", old.toString());
        send("ingest.replays.v1", id, JSON.writeValueAsBytes(state), Map.of());
        producer().flush();

        await().atMost(Duration.ofSeconds(10)).until(() -> get("/admin/replays/" + id).statusCode() == 200);
        JsonNode seen = json(get("/admin/replays/" + id));
        assertThat(seen.path("status").asText()).isEqualTo("failed");
        assertThat(seen.path("error").asText()).contains("worker lost").contains("replica-gone");
        assertThat(seen.path("scanned").asLong()).isEqualTo(7);
    }

    @Test
    void refusesUnknownDataSourcesBadRangesBadSourcesAndAnotherTenantsIngestId() {
        String since = Instant.now().minusSeconds(60).toString();
        assertThat(assertProblem(startReplay(Map.of("data_source", "nope", "from", "dlq", "since", since)), 404)
                .path("type").asText()).endsWith("unknown-data-source");
        assertThat(assertProblem(startReplay(Map.of("data_source", "demo-servicenow", "from", "dlq", "since", since,
                "until", Instant.now().minusSeconds(120).toString())), 400).path("detail").asText()).contains("until");
        assertThat(assertProblem(startReplay(Map.of("data_source", "demo-servicenow", "from", "kafka", "since", since)),
                400).path("detail").asText()).contains("'from'");
        assertProblem(startReplay(Map.of("data_source", "demo-servicenow", "from", "dlq", "since", "yesterday")), 400);
        assertProblem(post("/admin/replays", "[1]", Map.of("Content-Type", "application/json")), 400);
        assertProblem(get("/admin/replays/" + UUID.randomUUID()), 404);

        String foreign = UUID.randomUUID().toString();
        executions.add(new Execution(foreign, "acme", "acme-jira", "acme-portal", "incidents", 200, 1, 0, 3, null,
                Instant.now()));
        JsonNode problem = assertProblem(startReplay(Map.of("data_source", "demo-servicenow", "from", "dlq", "since", since,
                "ingest_id", foreign)), 422);
        assertThat(problem.path("detail").asText()).contains(foreign).contains("demo");
    }

    // helpers

    private JsonNode replayUntilFinished(Map<String, Object> body) {
        HttpResponse<String> started = startReplay(body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/admin/replays/"));
        String id = json(started).path("id").asText();
        return await().atMost(Duration.ofSeconds(30)).until(() -> json(get("/admin/replays/" + id)),
                s -> !s.path("status").asText().equals("running"));
    }

    private HttpResponse<String> startReplay(Map<String, Object> body) {
        if (producer != null) {
            producer.flush();
        }
        try {
            return post("/admin/replays", JSON.writeValueAsString(body), Map.of("Content-Type", "application/json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    /** The records on {@code topic} that carry {@code hub_replay_id = replayId}, once {@code expected} arrived (or 3 s). */
    private List<ConsumerRecord<String, byte[]>> replayedOn(String topic, String replayId, int expected) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (tps.isEmpty()) {
                return found;
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Instant deadline = Instant.now().plusSeconds(expected == 0 ? 3 : 15);
            while (Instant.now().isBefore(deadline) && (expected == 0 || found.size() < expected)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (replayId.equals(header(r, "hub_replay_id"))) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static String incident(String id) {
        return "{\"sys_id\":\"" + id + "\",\"number\":\"INC" + id + "\",\"short_description\":\"Replayed " + id + "\"}";
    }

    /** A dead letter as the pipeline writes it: the source record, keyed by its id, with the reason and hub headers. */
    private void deadLetter(String tenant, String ds, String entity, String id, String error) {
        send("ingest.dlq.v1", tenant + ":" + ds + ":" + id, incident(id).getBytes(StandardCharsets.UTF_8),
                dlqHeaders(tenant, ds, entity, "priority: required " + error));
    }

    private static Map<String, String> dlqHeaders(String tenant, String ds, String entity, String error) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.put("hub_error", error);
        h.put("hub_entity", entity);
        h.put("hub_record_index", "0");
        h.put("hub_tenant", tenant);
        h.put("hub_app", "itsm-assistant");
        h.put("hub_data_source", ds);
        h.put("hub_ingest_id", UUID.randomUUID().toString());
        return h;
    }

    private void send(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer().send(r);
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }
}
