package io.ingesthub.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kafka contract as consumers get it: {@code /asyncapi.yaml} and {@code /schemas/<entity>.schema.json} served by
 * the hub, a channel per canonical schema, and the headers it promises exactly those of the records the hub writes.
 */
class ContractDocsEndToEndTest extends HubTestSupport {

    @Test
    void servesTheAsyncApiDocumentAsCommitted() throws IOException {
        HttpResponse<String> served = get("/asyncapi.yaml");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(Files.readString(Path.of("docs/asyncapi.yaml")));
        assertThat(asyncApi().get("asyncapi")).isEqualTo("3.0.0");
    }

    @Test
    void servesEveryCanonicalSchemaThatTheAsyncApiDocumentReferences() throws IOException {
        List<String> refs = new ArrayList<>();
        collectRefs(asyncApi(), refs);
        List<String> external = refs.stream().filter(r -> !r.startsWith("#")).distinct().toList();
        assertThat(external).hasSize(entities().size());
        for (String ref : external) {
            URI resolved = URI.create("/asyncapi.yaml").resolve(ref);
            HttpResponse<String> schema = get(resolved.toString());
            assertThat(schema.statusCode()).as(resolved.toString()).isEqualTo(200);
            String file = Path.of(resolved.getPath()).getFileName().toString();
            assertThat(JSON.readTree(schema.body()))
                    .isEqualTo(JSON.readTree(Path.of("src/main/resources/schemas", file).toFile()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void hasOneChannelPerCanonicalSchemaAndOneForDeadLetters() throws IOException {
        Map<String, Object> channels = (Map<String, Object>) asyncApi().get("channels");
        Set<String> addresses = channels.values().stream()
                .map(c -> (String) ((Map<String, Object>) c).get("address")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = entities().stream().map(e -> "ingest." + e + ".v1").collect(Collectors.toCollection(TreeSet::new));
        expected.add("ingest.dlq.v1");
        assertThat(addresses).isEqualTo(expected);
    }

    @Test
    void documentsExactlyTheHeadersOfAnAcceptedRecord() throws IOException {
        JsonNode answer = json(ingest("/incidents", Files.readString(
                Path.of("mappings/servicenow/examples/incidents.single.input.json"))));
        ConsumerRecord<String, byte[]> record = readResult(answer.path("results").path(0));
        assertThat(headerNames(record)).isEqualTo(documentedHeaders("RecordHeaders"));
    }

    @Test
    void documentsExactlyTheHeadersOfADeadLetter() throws IOException {
        JsonNode answer = json(ingest("/incidents", "{\"number\":\"INC0000001\"}"));
        assertThat(answer.path("rejected").asInt()).isEqualTo(1);
        ConsumerRecord<String, byte[]> dead = deadLetterOf(answer.path("ingest_id").asText());
        assertThat(headerNames(dead)).isEqualTo(documentedHeaders("DeadLetterHeaders"));
        assertThat(dead.key()).isEqualTo("demo:demo-servicenow:" + answer.path("ingest_id").asText() + "#0");
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private Map<String, Object> asyncApi() throws IOException {
        return new Yaml().load(Files.readString(Path.of("docs/asyncapi.yaml")));
    }

    private static Set<String> headerNames(ConsumerRecord<?, ?> record) {
        Set<String> names = new TreeSet<>();
        for (Header h : record.headers()) {
            names.add(h.key());
        }
        return names;
    }

    /** The required headers of a headers schema: its own allOf parts, the shared HubHeaders included. */
    @SuppressWarnings("unchecked")
    private Set<String> documentedHeaders(String schema) throws IOException {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) asyncApi().get("components")).get("schemas");
        Set<String> names = new TreeSet<>();
        for (Object part : (List<Object>) ((Map<String, Object>) schemas.get(schema)).get("allOf")) {
            Map<String, Object> p = (Map<String, Object>) part;
            Object ref = p.get("$ref");
            Map<String, Object> resolved = ref == null ? p
                    : (Map<String, Object>) schemas.get(ref.toString().substring("#/components/schemas/".length()));
            names.addAll((List<String>) resolved.get("required"));
            assertThat(((Map<String, Object>) resolved.get("properties")).keySet())
                    .containsExactlyInAnyOrderElementsOf((List<String>) resolved.get("required"));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add(v.toString());
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectRefs(v, refs));
        }
    }

    private static List<String> entities() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/schemas"))) {
            return files.map(p -> p.getFileName().toString().replace(".schema.json", "")).sorted().toList();
        }
    }
}
