package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ingesthub.support.HubTestSupport;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With {@code hub.limits.max-in-flight=1}, a second request while one is still being received gets 503. */
@TestPropertySource(properties = "hub.limits.max-in-flight=1")
class InFlightLimitEndToEndTest extends HubTestSupport {

    @Test
    void refusesRequestsBeyondTheInFlightBoundWith503() throws Exception {
        PipedOutputStream bodyWriter = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(bodyWriter, 1024);
        HttpRequest.Builder slow = HttpRequest.newBuilder(uri("/incidents"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body));
        credentials().forEach(slow::header);
        bodyWriter.write("[{\"id\":\"slow-1\"}".getBytes(StandardCharsets.UTF_8));
        bodyWriter.flush();
        HttpClient streaming = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> held = streaming.sendAsync(slow.build(), HttpResponse.BodyHandlers.ofString());

        Map<String, String> headers = new LinkedHashMap<>(credentials());
        headers.put("Content-Type", "application/json");
        HttpResponse<String> refused = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> post("/incidents", "{\"id\":\"fast-1\"}", headers), r -> r.statusCode() == 503);

        assertProblem(refused, 503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(held).isNotDone();

        finish(bodyWriter);
        HttpResponse<String> first = held.get();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(ingest("/incidents", "{\"id\":\"after-1\"}").statusCode()).isEqualTo(200);
    }

    private static void finish(PipedOutputStream writer) throws IOException {
        writer.write("]".getBytes(StandardCharsets.UTF_8));
        writer.close();
    }
}
