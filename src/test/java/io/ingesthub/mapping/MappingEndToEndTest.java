package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.support.HubTestSupport;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mapping inside the running hub over real HTTP into Kafka, against a copy of the shipped {@code mappings/} folder
 * that the tests change while the hub runs (the test caller's data source uses the {@code servicenow} set).
 */
class MappingEndToEndTest extends HubTestSupport {

    private static final Path DIR = copyOfShippedMappings();

    @DynamicPropertySource
    static void mappingsDir(DynamicPropertyRegistry registry) {
        registry.add("hub.mappings.dir", DIR::toString);
        registry.add("hub.mappings.reload-interval", () -> "0s");
    }

    @Autowired
    MappingCatalog catalog;

    @Test
    void publishesAServiceNowIncidentAsACanonicalRecord() throws IOException {
        HttpResponse<String> response = ingest("/incidents", sample("servicenow/incidents.single.json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json(response).path("results").get(0);
        assertThat(result.path("id").asText()).isEqualTo("cd710004e012dba4dda3f839ea88db60");
        assertThat(result.path("topic").asText()).isEqualTo("ingest.incidents.v1");

        ConsumerRecord<String, byte[]> record = readResult(result);
        JsonNode value = value(record);
        JsonNode expected = JSON.readTree(DIR.resolve("servicenow/examples/incidents.single.expected.json").toFile());
        String tenant = header(record, "hub_tenant");
        String dataSource = header(record, "hub_data_source");
        assertThat(value.path("tenant").asText()).isEqualTo(tenant).isNotBlank();
        assertThat(value.path("data_source").asText()).isEqualTo(dataSource).isNotBlank();
        assertThat(value.path("entity").asText()).isEqualTo("incidents");
        assertThat((JsonNode) ((ObjectNode) value.deepCopy()).without(List.of("tenant", "data_source", "entity")))
                .isEqualTo(expected);
        assertThat(record.key()).isEqualTo(tenant + ":" + dataSource + ":cd710004e012dba4dda3f839ea88db60");
    }

    @Test
    void answers207AndSendsTheRejectedRecordToTheDeadLetterTopic() throws IOException {
        String bad = "{\"sys_id\":\"e2e-bad-date\",\"short_description\":\"x\",\"sys_created_on\":\"12/03/2025\"}";
        HttpResponse<String> response = ingest("/incidents",
                "[" + sample("servicenow/incidents.minimal.json") + "," + bad + "]");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        JsonNode answer = json(response);
        assertThat(answer.path("accepted").asInt()).isEqualTo(1);
        assertThat(answer.path("rejected").asInt()).isEqualTo(1);
        JsonNode rejected = answer.path("results").get(1);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("id").asText()).isEqualTo("e2e-bad-date");
        assertThat(rejected.path("errors").get(0).path("field").asText()).isEqualTo("created_at");
        assertThat(rejected.path("errors").get(0).path("message").asText()).contains("yyyy-MM-dd HH:mm:ss");
        assertThat(rejected.path("topic").isMissingNode()).isTrue();

        ConsumerRecord<String, byte[]> dead = deadLetterOf(answer.path("ingest_id").asText());
        assertThat(value(dead)).isEqualTo(JSON.readTree(bad));
        assertThat(header(dead, "hub_error")).startsWith("created_at: cannot read '12/03/2025'");
        assertThat(header(dead, "hub_entity")).isEqualTo("incidents");
        assertThat(dead.key()).endsWith(":e2e-bad-date");
    }

    @Test
    void answers422WhenEveryRecordIsRejected() {
        HttpResponse<String> response = ingest("/incidents", "[{\"number\":\"INC1\"},{\"number\":\"INC2\"}]");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode answer = json(response);
        assertThat(answer.path("accepted").asInt()).isZero();
        assertThat(answer.path("rejected").asInt()).isEqualTo(2);
        assertThat(answer.path("results").get(0).path("errors").get(0).path("field").asText()).isEqualTo("id");
    }

    @Test
    void refusesAnEntityTheDataSourceHasNoMappingForThenServesItOnceTheFileAppears() throws IOException {
        Path file = DIR.resolve("servicenow/conversations.yaml");
        Files.deleteIfExists(file);
        catalog.reload();
        String body = sample("canonical/conversations.single.json");

        JsonNode problem = assertProblem(ingest("/conversations", body), 422);
        assertThat(problem.path("type").asText()).endsWith("/no-mapping");
        assertThat(problem.path("detail").asText()).contains("servicenow").contains("conversations");

        Files.copy(DIR.resolve("canonical/conversations.yaml"), file);
        assertThat(catalog.reload()).isEmpty();
        try {
            HttpResponse<String> response = ingest("/conversations", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode value = value(readResult(json(response).path("results").get(0)));
            assertThat(value.path("entity").asText()).isEqualTo("conversations");
            assertThat(value.path("messages")).hasSize(4);
        } finally {
            Files.delete(file);
            catalog.reload();
        }
    }

    @Test
    void servesAChangedMappingAfterReloadAndKeepsItWhenTheNextChangeIsBroken() throws IOException {
        Path file = DIR.resolve("servicenow/alerts.yaml");
        String shipped = Files.readString(file);
        String body = sample("servicenow/alerts.single.json");
        try {
            write(file, shipped.replace("  fingerprint: \"$.message_key\"",
                    "  fingerprint: { template: \"${host}/${number}\" }"));
            assertThat(catalog.reload()).isEmpty();
            assertThat(fingerprintOf(ingest("/alerts", body))).isEqualTo("db-prod-03.example.com/Alert0012345");

            write(file, shipped.replace("  host: \"$.node\"", "  host: { path: \"$.node\", transfrom: trim }"));
            assertThat(catalog.reload()).singleElement().asString()
                    .contains("servicenow/alerts.yaml").contains("'host'").contains("unknown key 'transfrom'");
            assertThat(fingerprintOf(ingest("/alerts", body))).isEqualTo("db-prod-03.example.com/Alert0012345");
        } finally {
            write(file, shipped);
            catalog.reload();
        }
        assertThat(fingerprintOf(ingest("/alerts", body)))
                .isEqualTo("prometheus://db-prod-03.example.com/DiskSpaceLow/var-lib-pgsql");
    }

    @Test
    void previewsASampleWithOneMappingWithoutPublishingIt() throws IOException {
        long before = published("ingest.incidents.v1", "ingest.dlq.v1");
        String body = "[" + sample("servicenow/incidents.single.json") + ",{\"number\":\"INC9\"},42]";

        HttpResponse<String> response = post("/admin/mappings/servicenow/incidents/preview", body,
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json(response).path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("index").asInt()).isZero();
        assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.get(0).path("record")).isEqualTo(
                JSON.readTree(DIR.resolve("servicenow/examples/incidents.single.expected.json").toFile()));
        assertThat(results.get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(results.get(1).path("errors").get(0).path("field").asText()).isEqualTo("id");
        assertThat(results.get(2).path("errors").get(0).path("field").asText()).isEqualTo("$");
        assertThat(published("ingest.incidents.v1", "ingest.dlq.v1")).isEqualTo(before);
    }

    @Test
    void previewOfAnUnknownSetOrEntityIsNotFound() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        JsonNode problem = assertProblem(post("/admin/mappings/nosuchset/incidents/preview", "{}", json), 404);
        assertThat(problem.path("detail").asText()).contains("nosuchset");
        assertProblem(post("/admin/mappings/datadog/incidents/preview", "{}", json), 404);
        // the preview reads a body as an ingest request does
        String preview = "/admin/mappings/servicenow/incidents/preview";
        assertThat(assertProblem(post(preview, "[".repeat(2000) + "]".repeat(2000), json), 400).path("detail").asText())
                .contains("nesting");
        assertProblem(post(preview, "\"just a string\"", json), 400);
        // the preview is bounded like an ingestion endpoint: a form body is refused, never decoded
        assertProblem(post("/admin/mappings/servicenow/incidents/preview", "a=%zz",
                Map.of("Content-Type", "application/x-www-form-urlencoded")), 415);
    }

    /** How many records the topics hold in all: their end offsets summed. */
    private long published(String... topics) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = Stream.of(topics).flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private String fingerprintOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return value(readResult(json(response).path("results").get(0))).path("fingerprint").asText();
    }

    /** Writes {@code text} and moves the modification time on, so a rewrite within the same tick counts as a change. */
    private static void write(Path file, String text) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, text);
        Instant later = before.toInstant().plusSeconds(1);
        if (!Files.getLastModifiedTime(file).toInstant().isAfter(before.toInstant())) {
            Files.setLastModifiedTime(file, FileTime.from(later));
        }
    }

    @AfterAll
    static void removeCopy() throws IOException {
        try (Stream<Path> all = Files.walk(DIR)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
