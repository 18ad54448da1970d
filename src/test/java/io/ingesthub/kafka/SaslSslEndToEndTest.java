package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The hub on a SASL_SSL cluster, configured by camel.component.kafka.* alone: it publishes and its readiness is UP. */
@TestPropertySource(properties = {"hub.health.kafka-interval=300ms", "hub.kafka.ack-timeout=5s"})
class SaslSslEndToEndTest extends HubTestSupport {

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        SecuredBroker.register(registry, SecuredBroker.HUB_PASSWORD);
    }

    @Override
    protected KafkaConsumer<String, byte[]> consumer() {
        return TestBrokers.consumer(SecuredBroker.get().bootstrapServers());
    }

    @Test
    void publishesOverSaslSslAndIsReady() {
        HttpResponse<String> response = ingest("/incidents", "{\"sys_id\":\"INC-sasl-1\",\"short_description\":\"over TLS\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json(response).path("results").get(0);
        assertThat(value(readResult(result)).path("id").asText()).isEqualTo("INC-sasl-1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> readiness = send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET().build());
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            assertThat(json(readiness).path("components").path("kafka").path("details").path("nodes").asInt()).isEqualTo(1);
        });
    }
}
