package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ingesthub.support.HubTestSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** With {@code hub.limits.max-in-flight=1}, a second request while one is still being received gets 503. */
@TestPropertySource(properties = "hub.limits.max-in-flight=1")
class InFlightLimitEndToEndTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void refusesRequestsBeyondTheInFlightBoundWith503() throws Exception {
        holdOneAndRefuseTheNext("/incidents");
    }

    @Test
    void boundsARouteAddedFromTheWebhookTemplateToo() throws Exception {
        camel.addRouteFromTemplate("tickets", "webhook",
                Map.of("path", "/tickets", "entity", "incidents", "credentials", "at"));
        try {
            holdOneAndRefuseTheNext("/tickets");
        } finally {
            camel.getRouteController().stopRoute("tickets");
            camel.removeRoute("tickets");
        }
    }

    private void holdOneAndRefuseTheNext(String path) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(credentials());
        headers.put("Content-Type", "application/json");
        try (Socket slow = new Socket("127.0.0.1", port)) {
            OutputStream out = slow.getOutputStream();
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            chunk(out, "[{\"sys_id\":\"slow-1\"}");

            HttpResponse<String> refused = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> post(path, "{\"sys_id\":\"fast-1\"}", headers), r -> r.statusCode() == 503);

            assertThat(assertProblem(refused, 503).path("detail").asText()).contains("max-in-flight");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();

            chunk(out, "]");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).as("status line of the held request").startsWith("HTTP/1.1 2");
        }
        // The permit comes back when the held request's answer completes, a moment after the client has read it.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> post(path, "{\"sys_id\":\"after-1\"}", headers).statusCode() == 200);
    }

    private static void chunk(OutputStream out, String data) throws java.io.IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
