package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.Endpoint;
import io.ingesthub.IngestHubApplication;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.tokens.TokenService;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@code ingest} pipeline entered at {@code direct:ingest}, its publish step replaced by a stub that places every
 * message as Kafka would: the 200/207/422 answers, refusals that publish nothing, the error answer, and the Kafka
 * contract of every {@code mappings/<set>/examples/<entity>.<case>.kafka.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(classes = IngestHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"camel.component.kafka.brokers=127.0.0.1:1", "hub.tokens.secret=route-tests-only-0123456789abcdef0123456789"})
class IngestRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CamelContext camel;

    @Autowired
    TenantRegistry registry;

    @Autowired
    TokenService tokens;

    ProducerTemplate producer;
    final List<List<Message>> published = new CopyOnWriteArrayList<>();
    volatile RuntimeException kafkaFailure;

    @BeforeAll
    void advise() throws Exception {
        AdviceWith.adviceWith(camel, "ingest-records",
                a -> a.weaveById("ingest-records-publish").replace().process(this::publish));
        producer = camel.createProducerTemplate();
    }

    @BeforeEach
    void reset() {
        published.clear();
        kafkaFailure = null;
    }

    @SuppressWarnings("unchecked")
    private void publish(Exchange exchange) {
        if (kafkaFailure != null) {
            throw kafkaFailure;
        }
        List<Message> messages = exchange.getIn().getBody(List.class);
        long offset = 0;
        for (Message m : messages) {
            TopicPartition tp = new TopicPartition(m.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class), 0);
            m.setHeader(KafkaConstants.KAFKA_RECORD_META, List.of(new RecordMetadata(tp, offset++, 0, 0, 0, 0)));
        }
        published.add(messages);
    }

    private Exchange post(String entity, String credentials, String body, boolean authenticated) {
        Registry.App app = registry.current().appByToken("demo-app-token");
        String bearer = tokens.issue(app, registry.current().tenant("demo").serviceAccount("svc-ingest@demo.local"))
                .accessToken();
        return producer.send("direct:ingest", e -> {
            e.setVariable("entity", entity);
            e.setVariable("credentials", credentials);
            e.getIn().setHeader(Exchange.HTTP_URI, "/" + entity);
            if (authenticated) {
                e.getIn().setHeader("x-app-token", "demo-app-token");
                e.getIn().setHeader("Authorization", "Bearer " + bearer);
            }
            e.getIn().setBody(body);
        });
    }

    private static JsonNode body(Exchange answer) throws IOException {
        return JSON.readTree(answer.getMessage().getBody(byte[].class));
    }

    @Test
    void answers200WhenEveryRecordIsAccepted() throws IOException {
        Exchange answer = post("incidents", "at", "{\"sys_id\":\"route-1\"}", true);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(body(answer).path("results").get(0).path("topic").asText()).isEqualTo("ingest.incidents.v1");
        assertThat(published).hasSize(1);
    }

    @Test
    void answers207WhenSomeRecordsAreRejected() throws IOException {
        Exchange answer = post("incidents", "at", "[{\"sys_id\":\"route-2\"},{\"number\":\"no id\"}]", true);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(207);
        assertThat(body(answer).path("results").get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(published.get(0).get(1).getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("ingest.dlq.v1");
    }

    @Test
    void answers422WhenEveryRecordIsRejected() throws IOException {
        Exchange answer = post("incidents", "at", "{\"number\":\"no id\"}", true);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(422);
        assertThat(body(answer).path("rejected").asInt()).isEqualTo(1);
    }

    @Test
    void refusesWith422AndPublishesNothingWithoutAMapping() throws IOException {
        Exchange answer = post("conversations", "key", "{\"id\":\"c-1\"}", true);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(422);
        assertThat(body(answer).path("type").asText()).isEqualTo("/problems/no-mapping");
        assertThat(published).isEmpty();
    }

    @Test
    void anAuthenticationRefusalSkipsPublishing() throws IOException {
        Exchange answer = post("incidents", "at", "{\"sys_id\":\"route-3\"}", false);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        assertThat(published).isEmpty();
    }

    @Test
    void aKafkaFailureBecomesA503Problem() throws IOException {
        kafkaFailure = new KafkaException("broker away");

        Exchange answer = post("incidents", "at", "{\"sys_id\":\"route-4\"}", true);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(body(answer).path("detail").asText()).contains("retry");
        assertThat(answer.getMessage().getHeader("Retry-After")).isNotNull();
    }

    @Test
    void publishesEveryExampleAsItsKafkaFileSays() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> kafka = Files.newDirectoryStream(Path.of("mappings/servicenow/examples"), "*.kafka.json")) {
            kafka.forEach(files::add);
        }
        assertThat(files).as("kafka.json files of the servicenow set").isNotEmpty();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String entity = name.substring(0, name.indexOf('.'));
            Path inputFile = file.resolveSibling(name.replace(".kafka.json", ".input.json"));
            assertThat(inputFile).as(file + " needs its input example").exists();
            String input = Files.readString(inputFile);
            JsonNode expected = JSON.readTree(file.toFile());
            published.clear();

            String credentials = Endpoint.table().stream().filter(e -> e.entity().equals(entity)).findFirst()
                    .orElseThrow().credentials();
            Exchange answer = post(entity, credentials, input, true);

            assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).as(name).isEqualTo(200);
            Message message = published.get(0).get(0);
            assertThat(message.getHeader(KafkaConstants.KEY)).as(name + " key").isEqualTo(expected.path("key").asText());
            assertThat(message.getHeader(KafkaConstants.OVERRIDE_TOPIC)).as(name + " topic")
                    .isEqualTo(expected.path("topic").asText());
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                assertThat(message.getHeader(h.getKey(), String.class)).as(name + " header " + h.getKey())
                        .isEqualTo(h.getValue().asText());
            }
        }
    }
}
