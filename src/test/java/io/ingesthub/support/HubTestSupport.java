package io.ingesthub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Base of the end-to-end tests: the whole hub on a random port over real HTTP, publishing to an in-process KRaft
 * broker, with helpers to call it and to read back exactly the Kafka record an answer points at. The hub reads a
 * copy of the test registry ({@code src/test/resources/registry/tenants.yaml}) that tests may change and restore.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camel.component.kafka.brokers=${spring.embedded.kafka.brokers}",
        "hub.limits.max-records=50",
        "hub.limits.max-body-bytes=64KB",
        "hub.registry.file=" + HubTestSupport.REGISTRY_COPY,
        "hub.registry.poll-interval=200ms",
        "hub.tokens.secret=" + HubTestSupport.TOKEN_SECRET})
@EmbeddedKafka(kraft = true, partitions = 3)
public abstract class HubTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The registry the tests start from, and the copy the hub reads. */
    protected static final Path REGISTRY = Path.of("src/test/resources/registry/tenants.yaml");
    protected static final String REGISTRY_COPY = "target/test-registry/tenants.yaml";
    protected static final String TOKEN_SECRET = "e2e-token-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

    /** The demo credentials of the local default, also in the test registry. */
    protected static final String DEMO_APP_TOKEN = "demo-app-token";
    protected static final String DEMO_USER = "svc-ingest@demo.local";
    protected static final String DEMO_PASSWORD = "demo-password";

    private static final Map<Integer, Map<String, String>> CREDENTIALS = new ConcurrentHashMap<>();

    static {
        restoreRegistry();
    }

    /** Puts the test registry back as the hub's registry file (the hub notices within its poll interval). */
    protected static void restoreRegistry() {
        try {
            Path copy = Path.of(REGISTRY_COPY);
            Files.createDirectories(copy.getParent());
            Files.copy(REGISTRY, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the shipped {@code mappings/} folder in a new temporary directory, for tests that change mapping files. */
    protected static Path copyOfShippedMappings() {
        try {
            Path target = Files.createTempDirectory("hub-mappings-");
            Path source = Path.of("mappings");
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected EmbeddedKafkaBroker broker;

    protected URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Headers that authenticate a call of the demo app; the token is fetched once per hub from its token endpoint. */
    protected Map<String, String> credentials() {
        return CREDENTIALS.computeIfAbsent(port, p -> {
            JsonNode token = json(requestToken(Map.of("grant_type", "password", "client_id", DEMO_APP_TOKEN,
                    "username", DEMO_USER, "password", DEMO_PASSWORD)));
            assertThat(token.path("access_token").asText()).as("demo access token").isNotBlank();
            return Map.of("x-app-token", DEMO_APP_TOKEN,
                    "Authorization", "Bearer " + token.path("access_token").asText());
        });
    }

    /** POSTs {@code parameters} to the token endpoint as a JSON object. */
    protected HttpResponse<String> requestToken(Map<String, String> parameters) {
        return requestToken(parameters, Map.of());
    }

    protected HttpResponse<String> requestToken(Map<String, String> parameters, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        try {
            return post("/tenant-users/oauth2/token", JSON.writeValueAsString(parameters), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs {@code body} as JSON with the default caller's credentials. */
    protected HttpResponse<String> ingest(String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>(credentials());
        headers.put("Content-Type", "application/json");
        return post(path, body, headers);
    }

    protected HttpResponse<String> post(String pathAndQuery, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(b.build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The example input {@code <set>/<entity>.<case>.json} of a mapping set, i.e.
     * {@code mappings/<set>/examples/<entity>.<case>.input.json}: webhook payloads shaped like the real systems send them.
     */
    protected static String sample(String setAndCase) {
        int slash = setAndCase.indexOf('/');
        Path file = Path.of("mappings", setAndCase.substring(0, slash), "examples",
                setAndCase.substring(slash + 1).replaceFirst("\\.json$", ".input.json"));
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts an RFC 9457 problem answer with {@code status} and returns its body. */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("ingest_id").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return problem;
    }

    /** Reads the one record at {@code topic}/{@code partition}/{@code offset}, waiting up to ten seconds. */
    protected ConsumerRecord<String, byte[]> readAt(String topic, int partition, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline)) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.offset() == offset) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + topic + "/" + partition + "@" + offset + " within 10 s");
    }

    /** Reads the Kafka record that one accepted entry of an answer's {@code results} points at. */
    protected ConsumerRecord<String, byte[]> readResult(JsonNode result) {
        return readAt(result.path("topic").asText(), result.path("partition").asInt(), result.path("offset").asLong());
    }

    /** The dead-letter record of ingest {@code ingestId}: the answer names no offset for rejected records. */
    protected ConsumerRecord<String, byte[]> deadLetterOf(String ingestId) {
        return recordOf("ingest.dlq.v1", ingestId);
    }

    /** The first record on {@code topic} whose {@code hub_ingest_id} is {@code ingestId}, within 10 s. */
    protected ConsumerRecord<String, byte[]> recordOf(String topic, String ingestId) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (ingestId.equals(header(r, "hub_ingest_id"))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record of ingest " + ingestId + " on " + topic + " within 10 s");
    }

    protected KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    protected static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    protected static JsonNode value(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
