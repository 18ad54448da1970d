package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The hub on a SASL_SSL cluster with a wrong password: readiness DOWN naming the authentication failure, and an
 * ingest answered 503 whose log line says why, without the password anywhere.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"hub.health.kafka-interval=300ms", "hub.kafka.ack-timeout=3s"})
class SaslSslWrongPasswordEndToEndTest extends HubTestSupport {

    private static final String WRONG = "not-the-password-0815";

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        SecuredBroker.register(registry, WRONG);
    }

    @Test
    void isNotReadyAndAnswers503SayingAuthenticationFailed(CapturedOutput output) {
        JsonNode kafka = await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET().build());
            JsonNode k = json(r).path("components").path("kafka");
            return r.statusCode() == 503 && k.path("details").path("error").asText().contains("Authentication failed")
                    ? k : null;
        }, k -> k != null);
        assertThat(kafka.path("status").asText()).isEqualTo("DOWN");

        HttpResponse<String> response = ingest("/incidents", "{\"sys_id\":\"INC-sasl-wrong\"}");

        JsonNode problem = assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getAll())
                .contains("Kafka did not acknowledge ingest " + problem.path("ingest_id").asText())
                .containsPattern("ingest " + problem.path("ingest_id").asText() + ": .*Authentication failed"));
        assertThat(output.getAll()).doesNotContain(WRONG);
    }
}
