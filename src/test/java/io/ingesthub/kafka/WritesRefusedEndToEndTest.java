package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Against a cluster that does not create topics and where one topic takes no record of the hub's size: a write to the
 * missing topic is a 500 naming it (no retry fixes it), and failing writes make readiness DOWN while the cluster still
 * answers metadata, UP again once writes succeed. (A single broker cannot fail writes for want of in-sync replicas:
 * it caps the effective min.insync.replicas at the replication factor.)
 */
@TestPropertySource(properties = {
        "hub.kafka.ack-timeout=2s",
        "hub.health.kafka-interval=300ms",
        "hub.health.kafka-timeout=1s",
        "hub.health.write-failure-window=4s"})
class WritesRefusedEndToEndTest extends HubTestSupport {

    private static final LocalKafkaBroker CLUSTER = TestBrokers.start(TestBrokers.freePort(),
            TestBrokers.hubTopics("ingest.incidents.v1"),
            Map.of("ingest.alerts.v1", Map.of("max.message.bytes", "64")),
            Map.of("auto.create.topics.enable", "false"));

    @DynamicPropertySource
    static void brokers(DynamicPropertyRegistry registry) {
        registry.add("camel.component.kafka.brokers", CLUSTER::bootstrapServers);
    }

    @Override
    protected KafkaConsumer<String, byte[]> consumer() {
        return TestBrokers.consumer(CLUSTER.bootstrapServers());
    }

    @Test
    void aWriteToATopicTheClusterDoesNotHaveIsA500NamingTheTopic() {
        HttpResponse<String> response = ingest("/incidents", "{\"sys_id\":\"INC-no-topic\"}");

        JsonNode problem = assertProblem(response, 500);
        assertThat(problem.path("type").asText()).isEqualTo("/problems/kafka-refused");
        assertThat(problem.path("detail").asText()).contains("ingest.incidents.v1").contains("does not exist");
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void readinessIsDownWhileWritesFailAndUpOnceTheySucceed() throws Exception {
        awaitReadiness(200, "UP");

        HttpResponse<String> failed = ingest("/alerts", "{\"sys_id\":\"ALR-isr-1\"}");

        assertThat(assertProblem(failed, 500).path("detail").asText()).contains("ingest.alerts.v1").contains("max.message.bytes");
        JsonNode down = awaitReadiness(503, "DOWN");
        assertThat(down.path("details").path("error").asText()).contains("writes failing").contains("too large");
        assertThat(down.path("details").path("nodes").asInt()).isEqualTo(1);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", CLUSTER.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "ingest.alerts.v1"),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
                    .all().get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ingest("/alerts", "{\"sys_id\":\"ALR-isr-2\"}").statusCode() == 200);
        awaitReadiness(200, "UP");
    }

    private JsonNode awaitReadiness(int status, String kafkaStatus) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET().build());
            JsonNode kafka = json(r).path("components").path("kafka");
            return r.statusCode() == status && kafka.path("status").asText().equals(kafkaStatus) ? kafka : null;
        }, k -> k != null);
    }
}
