package io.ingesthub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.support.HubTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code POST /sources/{data-source}} over real HTTP into the in-process broker, for each shipped source: signed
 * deliveries land canonical on their entity topic, unverified ones are 401 and publish nothing, ignored events are
 * 2xx and publish nothing, redeliveries are answered again without a second record.
 */
class SourceDeliveriesEndToEndTest extends HubTestSupport {

    private static final Path SECRETS = Path.of("target/test-sources").toAbsolutePath();
    private static final String JIRA_SECRET = "jira-secret-2026-12";
    private static final String JIRA_OLD_SECRET = "jira-secret-2026-06";
    private static final String PAGERDUTY_SECRET = "pagerduty-secret";
    private static final String ZENDESK_SECRET = "zendesk-secret";
    private static final String GITHUB_SECRET = "github-secret";
    private static final String DATADOG_TOKEN = "datadog-token";
    private static final List<String> TOPICS = List.of("ingest.incidents.v1", "ingest.changes.v1",
            "ingest.problems.v1", "ingest.requests.v1", "ingest.alerts.v1", "ingest.conversations.v1",
            "ingest.dlq.v1");

    private static boolean loaded;

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void registryWithSources() throws IOException {
        Files.createDirectories(SECRETS);
        Map<String, String> secrets = Map.of("jira", JIRA_SECRET, "jira-old", JIRA_OLD_SECRET,
                "pagerduty", PAGERDUTY_SECRET, "zendesk", ZENDESK_SECRET, "github", GITHUB_SECRET,
                "datadog", DATADOG_TOKEN);
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            Files.writeString(SECRETS.resolve(s.getKey()), s.getValue());
        }
        String anchor = "      demo-jira: { mappings: jira }\n";
        String registry = Files.readString(REGISTRY);
        assertThat(registry).contains(anchor);
        String sources = anchor
                + dataSource("demo-jira-hook", "jira", "jira", "jira", "jira-old")
                + dataSource("demo-pagerduty", "pagerduty", "pagerduty-v3", "pagerduty", null)
                + dataSource("demo-zendesk", "zendesk", "zendesk", "zendesk", null)
                + dataSource("demo-github", "github", "github", "github", null) + "        archive: true\n"
                + "      demo-datadog:\n        mappings: datadog\n        source: datadog\n        verify:\n"
                + "          scheme: header-token\n          header: DD-Webhook-Token\n          secrets:\n"
                + "            - { id: \"dd-1\", value: \"${file:" + SECRETS.resolve("datadog") + "}\" }\n";
        Files.writeString(Path.of(REGISTRY_COPY), registry.replace(anchor, sources));
    }

    private static String dataSource(String name, String set, String scheme, String secret, String oldSecret) {
        String s = "      " + name + ":\n        mappings: " + set + "\n        source: " + set + "\n"
                + "        verify:\n          scheme: " + scheme + "\n          secrets:\n"
                + "            - { id: \"" + secret + "-new\", value: \"${file:" + SECRETS.resolve(secret) + "}\" }\n";
        if (oldSecret != null) {
            s += "            - { id: \"" + secret + "-old\", value: \"${file:" + SECRETS.resolve(oldSecret) + "}\" }\n";
        }
        return s;
    }

    @AfterAll
    static void putTheTestRegistryBack() {
        restoreRegistry();
    }

    /** The hub notices the registry change within its poll interval; wait until it serves the new data sources. */
    @BeforeEach
    void waitForTheRegistry() {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!loaded && Instant.now().isBefore(deadline)) {
            loaded = post("/sources/demo-datadog", "{}", Map.of("Content-Type", "application/json")).statusCode() != 404;
        }
        assertThat(loaded).as("the hub serves the source data sources").isTrue();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "demo-jira-hook | jira/incidents.created      | incidents     | ",
            "demo-jira-hook | jira/changes.created        | changes       | ",
            "demo-jira-hook | jira/problems.created       | problems      | ",
            "demo-jira-hook | jira/requests.created       | requests      | ",
            "demo-pagerduty | pagerduty/incidents.triggered | incidents   | ",
            "demo-pagerduty | pagerduty/conversations.annotated | conversations | ",
            "demo-zendesk   | zendesk/incidents.single    | incidents     | ",
            "demo-zendesk   | zendesk/requests.single     | requests      | ",
            "demo-github    | github/incidents.opened     | incidents     | issues",
            "demo-datadog   | datadog/alerts.triggered    | alerts        | "})
    void aSignedDeliveryLandsCanonicalOnItsEntityTopic(String dataSource, String example, String entity,
                                                      String githubEvent) throws IOException {
        String body = sample(example + ".json");
        Map<String, String> headers = signed(dataSource, body);
        if (githubEvent != null) {
            headers.put("X-GitHub-Event", githubEvent);
        }

        HttpResponse<String> answer = post("/sources/" + dataSource, body, headers);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().map().keySet()).as("no sender header is echoed")
                .noneMatch(h -> h.toLowerCase().startsWith("x-hub") || h.toLowerCase().startsWith("x-zendesk")
                        || h.toLowerCase().startsWith("x-pagerduty") || h.equalsIgnoreCase("dd-webhook-token")
                        || h.toLowerCase().startsWith("x-github") || h.toLowerCase().startsWith("x-atlassian"));
        JsonNode result = json(answer).path("results").get(0);
        assertThat(result.path("topic").asText()).isEqualTo("ingest." + entity + ".v1");
        ConsumerRecord<String, byte[]> record = readResult(result);
        assertThat(record.key()).isEqualTo("demo:" + dataSource + ":" + result.path("id").asText());
        ObjectNode value = (ObjectNode) value(record);
        assertThat(value.path("tenant").asText()).isEqualTo("demo");
        assertThat(value.path("data_source").asText()).isEqualTo(dataSource);
        assertThat(value.path("entity").asText()).isEqualTo(entity);
        value.remove(List.of("tenant", "data_source", "entity"));
        JsonNode expected = JSON.readTree(Path.of("mappings", example.substring(0, example.indexOf('/')), "examples",
                example.substring(example.indexOf('/') + 1) + ".expected.json").toFile());
        assertThat(value).isEqualTo(expected);
        assertThat(header(record, "hub_app")).isEqualTo("source:" + dataSource);
        assertThat(header(record, "hub_data_source")).isEqualTo(dataSource);
        assertThat(header(record, "ce_type")).isEqualTo("ingesthub." + entity + ".v1");
        String deliveryId = headers.getOrDefault("X-Atlassian-Webhook-Identifier", headers.get("X-GitHub-Delivery"));
        if (dataSource.equals("demo-pagerduty")) {
            deliveryId = JSON.readTree(body).path("event").path("id").asText();
        }
        assertThat(header(record, "hub_delivery_id")).isEqualTo(deliveryId);
        assertThat(record.headers().toArray()).as("no signature reaches Kafka")
                .noneMatch(h -> h.key().toLowerCase().contains("signature") || h.key().equalsIgnoreCase("dd-webhook-token"));
    }

    @Test
    void anArchivingSourceKeepsTheVerifiedBytesOnTheRawTopicWithoutTheSignature() {
        String body = sample("github/incidents.opened.json");
        Map<String, String> headers = signed("demo-github", body);
        headers.put("X-GitHub-Event", "issues");

        HttpResponse<String> answer = post("/sources/demo-github", body, headers);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String ingestId = json(answer).path("ingest_id").asText();
        ConsumerRecord<String, byte[]> raw = recordOf("ingest.raw.v1", ingestId);
        assertThat(raw.key()).isEqualTo("demo:demo-github:" + ingestId);
        assertThat(new String(raw.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(header(raw, "hub_data_source")).isEqualTo("demo-github");
        assertThat(raw.headers().toArray()).as("no signature reaches the archive")
                .noneMatch(h -> h.key().toLowerCase().contains("signature") || h.key().toLowerCase().startsWith("x-hub"));
    }

    @Test
    void theOldSecretOfARotationStillVerifiesAndTheMetricNamesWhichSecretMatched() {
        String body = sample("jira/incidents.created.json");
        Map<String, String> headers = jsonHeaders();
        headers.put("X-Hub-Signature", "sha256=" + hex(hmac(JIRA_OLD_SECRET.getBytes(StandardCharsets.UTF_8), body)));

        assertThat(post("/sources/demo-jira-hook", body, headers).statusCode()).isEqualTo(200);

        assertThat(meters.find("hub.source.verifications").tags("tenant", "demo", "data_source", "demo-jira-hook",
                "outcome", "verified", "secret", "jira-old").counter()).isNotNull()
                .satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1));
        assertThat(meters.getMeters()).as("no secret in any tag")
                .allSatisfy(m -> assertThat(m.getId().getTags().toString()).doesNotContain(JIRA_OLD_SECRET)
                        .doesNotContain(JIRA_SECRET));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "demo-jira-hook | unsigned | signature-missing",
            "demo-jira-hook | wrong    | signature-invalid",
            "demo-pagerduty | unsigned | signature-missing",
            "demo-pagerduty | wrong    | signature-invalid",
            "demo-github    | unsigned | signature-missing",
            "demo-github    | wrong    | signature-invalid",
            "demo-datadog   | unsigned | signature-missing",
            "demo-datadog   | wrong    | signature-invalid",
            "demo-zendesk   | unsigned | signature-missing",
            "demo-zendesk   | wrong    | signature-invalid",
            "demo-zendesk   | stale    | signature-stale",
            "demo-zendesk   | future   | signature-stale"})
    void anUnverifiedDeliveryIs401AndPublishesNothing(String dataSource, String how, String problemType) {
        String body = sample(switch (dataSource) {
            case "demo-jira-hook" -> "jira/incidents.created.json";
            case "demo-pagerduty" -> "pagerduty/incidents.triggered.json";
            case "demo-github" -> "github/incidents.opened.json";
            case "demo-datadog" -> "datadog/alerts.triggered.json";
            default -> "zendesk/incidents.single.json";
        });
        Map<String, String> headers = switch (how) {
            case "unsigned" -> jsonHeaders();
            case "wrong" -> signedWith(dataSource, body, "not-the-secret", Instant.now());
            case "stale" -> signedWith(dataSource, body, ZENDESK_SECRET, Instant.now().minus(Duration.ofMinutes(10)));
            default -> signedWith(dataSource, body, ZENDESK_SECRET, Instant.now().plus(Duration.ofMinutes(10)));
        };
        headers.put("X-GitHub-Event", "issues");
        Map<String, Long> before = endOffsets();

        HttpResponse<String> answer = post("/sources/" + dataSource, body, headers);

        JsonNode problem = assertProblem(answer, 401);
        assertThat(problem.path("type").asText()).isEqualTo("/problems/" + problemType);
        assertThat(problem.path("detail").asText()).contains(dataSource);
        assertThat(answer.body()).doesNotContain("secret-").doesNotContain("not-the-secret")
                .doesNotContain(DATADOG_TOKEN);
        assertThat(endOffsets()).as("nothing published").isEqualTo(before);
    }

    @Test
    void aDatadogTokenRefusalSaysHowToAuthenticate() {
        HttpResponse<String> answer = post("/sources/demo-datadog", sample("datadog/alerts.triggered.json"),
                jsonHeaders());
        assertProblem(answer, 401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty();
        Map<String, String> wrongPrefix = jsonHeaders();
        wrongPrefix.put("DD-Webhook-Token", "nope");
        assertProblem(post("/sources/demo-datadog", sample("datadog/alerts.triggered.json"), wrongPrefix), 401);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "demo-jira-hook | src/test/resources/sources/jira.bug-created.json | ",
            "demo-pagerduty | src/test/resources/sources/pagerduty.service-updated.json | ",
            "demo-zendesk   | src/test/resources/sources/zendesk.user-payload.json | ",
            "demo-github    | src/test/resources/sources/github.ping.json | ping",
            "demo-datadog   | src/test/resources/sources/datadog.test-payload.json | "})
    void anIgnoredEventIsAnsweredAndPublishesNothing(String dataSource, String file, String githubEvent)
            throws IOException {
        String body = Files.readString(Path.of(file));
        Map<String, String> headers = signed(dataSource, body);
        if (githubEvent != null) {
            headers.put("X-GitHub-Event", githubEvent);
        }
        Map<String, Long> before = endOffsets();

        HttpResponse<String> answer = post("/sources/" + dataSource, body, headers);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(json(answer).path("accepted").asInt()).isZero();
        assertThat(endOffsets()).as("nothing published").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"demo-jira-hook", "demo-github", "demo-pagerduty"})
    void aRedeliveryGetsTheSameAnswerAndPublishesNothingTwice(String dataSource) throws IOException {
        String body = switch (dataSource) {
            case "demo-jira-hook" -> sample("jira/incidents.created.json");
            case "demo-github" -> sample("github/incidents.opened.json");
            default -> {
                ObjectNode delivery = (ObjectNode) JSON.readTree(sample("pagerduty/incidents.triggered.json"));
                ((ObjectNode) delivery.path("event")).put("id", UUID.randomUUID().toString());
                yield delivery.toString();
            }
        };
        Map<String, String> headers = signed(dataSource, body);
        headers.put("X-GitHub-Event", "issues");
        HttpResponse<String> first = post("/sources/" + dataSource, body, headers);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        Map<String, Long> after = endOffsets();

        HttpResponse<String> again = post("/sources/" + dataSource, body, headers);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        for (HttpResponse<String> answer : List.of(first, again)) {
            assertThat(answer.headers().firstValue("Transfer-Encoding")).as("chunked").isEmpty();
            assertThat(answer.headers().firstValueAsLong("Content-Length"))
                    .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(again.headers().firstValue("X-Ingest-Id")).isEqualTo(first.headers().firstValue("X-Ingest-Id"));
        assertThat(endOffsets()).as("nothing published twice").isEqualTo(after);

        Map<String, String> other = signed(dataSource, body);
        other.put("X-GitHub-Event", "issues");
        if (!dataSource.equals("demo-pagerduty")) {
            assertThat(post("/sources/" + dataSource, body, other).body()).as("a new delivery id is a new delivery")
                    .isNotEqualTo(first.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/sources/demo-jira-hook;x", "/sources/demo-jira-hook;x=1", "/sources/%64emo-jira-hook",
            "/sources/demo-jira-hook/", "/sources/demo-jira-hook/x", "/sources/", "/sources/..%2Fincidents",
            "/sources/demo-servicenow", "/sources/no-such-source", "/sources/demo-jira-hook%00"})
    void anOddlySpelledPathGetsTheSameChecksOrAClearRefusal(String path) {
        Map<String, Long> before = endOffsets();

        HttpResponse<String> answer = post(path, sample("jira/incidents.created.json"), jsonHeaders());

        assertThat(answer.statusCode()).as(path + " " + answer.body()).isIn(400, 401, 404, 405);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(endOffsets()).as("nothing published").isEqualTo(before);
    }

    @Test
    void aDataSourceWithoutVerifyIsNotASourceAndSaysSo() {
        JsonNode problem = assertProblem(post("/sources/demo-servicenow", "{}", jsonHeaders()), 404);
        assertThat(problem.path("detail").asText()).contains("'source:'").contains("'verify:'");
        assertProblem(post("/sources/no-such-source", "{}", jsonHeaders()), 404);
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingIsPublished() {
        String body = "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        Map<String, Long> before = endOffsets();
        assertProblem(post("/sources/demo-jira-hook", body, signed("demo-jira-hook", body)), 413);
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415EvenWhenSigned() {
        String body = "payload=%7B%7D";
        Map<String, String> headers = signed("demo-jira-hook", body);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        assertProblem(post("/sources/demo-jira-hook", body, headers), 415);
    }

    @Test
    void aSignedDeliveryThatIsNotJsonIs400WithWhere() {
        String body = "{\"webhookEvent\": \"jira:issue_created\", ";
        JsonNode problem = assertProblem(post("/sources/demo-jira-hook", body, signed("demo-jira-hook", body)), 400);
        assertThat(problem.path("detail").asText()).contains("line 1");
        String array = "[" + sample("jira/incidents.created.json") + "]";
        assertProblem(post("/sources/demo-jira-hook", array, signed("demo-jira-hook", array)), 400);
    }

    @Test
    void aRepeatedSignatureHeaderIsRefused() {
        String body = sample("jira/incidents.created.json");
        String good = "sha256=" + hex(hmac(JIRA_SECRET.getBytes(StandardCharsets.UTF_8), body));
        HttpRequest request = HttpRequest.newBuilder(uri("/sources/demo-jira-hook"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature", "sha256=" + "0".repeat(64))
                .header("X-Hub-Signature", good)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        Map<String, Long> before = endOffsets();

        assertProblem(send(request), 401);
        assertThat(endOffsets()).isEqualTo(before);
    }

    /** Headers signing {@code body} as the data source's sender does, with a fresh delivery id where it has one. */
    private static Map<String, String> signed(String dataSource, String body) {
        String secret = switch (dataSource) {
            case "demo-jira-hook" -> JIRA_SECRET;
            case "demo-pagerduty" -> PAGERDUTY_SECRET;
            case "demo-zendesk" -> ZENDESK_SECRET;
            case "demo-github" -> GITHUB_SECRET;
            default -> DATADOG_TOKEN;
        };
        return signedWith(dataSource, body, secret, Instant.now());
    }

    private static Map<String, String> signedWith(String dataSource, String body, String secret, Instant at) {
        Map<String, String> h = jsonHeaders();
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        switch (dataSource) {
            case "demo-jira-hook" -> {
                h.put("X-Hub-Signature", "sha256=" + hex(hmac(key, body)));
                h.put("X-Atlassian-Webhook-Identifier", UUID.randomUUID().toString());
            }
            case "demo-pagerduty" -> h.put("X-PagerDuty-Signature", "v1=" + hex(hmac(key, "x")) + ",v1="
                    + hex(hmac(key, body)));
            case "demo-zendesk" -> {
                String ts = at.toString();
                h.put("X-Zendesk-Webhook-Signature-Timestamp", ts);
                h.put("X-Zendesk-Webhook-Signature", Base64.getEncoder().encodeToString(hmac(key, ts + body)));
            }
            case "demo-github" -> {
                h.put("X-Hub-Signature-256", "sha256=" + hex(hmac(key, body)));
                h.put("X-GitHub-Delivery", UUID.randomUUID().toString());
            }
            default -> h.put("DD-Webhook-Token", secret);
        }
        return h;
    }

    private static Map<String, String> jsonHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        return h;
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The end offset of every non-empty partition of the entity topics and the dead-letter topic. */
    private Map<String, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = TOPICS.stream()
                    .flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("could not read end offsets", e));
        }
    }
}
