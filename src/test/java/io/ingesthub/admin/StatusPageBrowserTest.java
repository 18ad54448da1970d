package io.ingesthub.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.support.HubTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real headless Chromium (Debian's {@code chromium}, driven over the DevTools protocol): it shows
 * the data source of a request just made with its rejection, and a replay started from its button completes. Skipped,
 * saying so, where Chromium is not installed.
 */
class StatusPageBrowserTest extends HubTestSupport {

    @Test
    void showsTheDataSourceOfARequestJustMadeAndCompletesAReplayStartedFromThePage() throws Exception {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null,
                "Chromium is not installed (apt-get install -y chromium): the status page browser test is skipped");

        HttpResponse<String> made = ingest("/incidents",
                "[" + sample("servicenow/incidents.minimal.json") + ",{\"number\":\"INC-NO-ID\"}]");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(207);
        String ingestId = made.headers().firstValue("X-Ingest-Id").orElseThrow();

        Path profile = Files.createTempDirectory("chromium-profile");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,1000",
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
            int devtools = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            try (Cdp page = Cdp.open(devtools)) {
                page.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + port + "/admin/status"));

                String card = "document.querySelector('.data-source[data-ds=\"demo-servicenow\"]')";
                await().atMost(Duration.ofSeconds(30)).until(() -> page.eval(
                        "(" + card + "?.textContent || '').includes('" + ingestId + "')").asBoolean());
                assertThat(page.eval("typeof Chart").asText()).isEqualTo("function");
                assertThat(page.eval(card + ".querySelector('.errors').textContent").asText())
                        .contains("207").contains("id: required");

                page.eval(card + ".querySelector('.replay-btn').click(); true");
                String status = "(document.querySelector('tr.replay[data-ds=\"demo-servicenow\"] .status')?.textContent || '')";
                await().atMost(Duration.ofSeconds(60)).until(() -> page.eval(status).asText().startsWith("done"));

                JsonNode replays = json(send(HttpRequest.newBuilder(uri("/admin/replays")).GET().build())).path("replays");
                JsonNode replay = replays.get(0);
                assertThat(replay.path("status").asText()).isEqualTo("done");
                assertThat(replay.path("data_source").asText()).isEqualTo("demo-servicenow");
                assertThat(replay.path("rejected").asLong()).isGreaterThanOrEqualTo(1);

                byte[] png = Base64.getDecoder().decode(page.call("Page.captureScreenshot", Map.of("format", "png"))
                        .path("data").asText());
                Files.createDirectories(Path.of("target"));
                Files.write(Path.of("target/status-page.png"), png);
                assertThat(png.length).isGreaterThan(10_000);
            }
        } finally {
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
    }

    /** A minimal Chrome DevTools protocol client on one page target: calls by id, answers matched by id. */
    static final class Cdp implements WebSocket.Listener, AutoCloseable {

        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Cdp open(int devtoolsPort) throws Exception {
            HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + devtoolsPort + "/json/list")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String ws = null;
            for (JsonNode target : JSON.readTree(list.body())) {
                if ("page".equals(target.path("type").asText())) {
                    ws = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            assertThat(ws).as("a page target in " + list.body()).isNotNull();
            Cdp cdp = new Cdp();
            cdp.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(ws), cdp).get(10, TimeUnit.SECONDS);
            return cdp;
        }

        JsonNode call(String method, Map<String, Object> params) {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            try {
                ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
                msg.set("params", JSON.valueToTree(params));
                socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
                JsonNode reply = answer.get(30, TimeUnit.SECONDS);
                assertThat(reply.has("error")).as(method + ": " + reply).isFalse();
                return reply.path("result");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(method + " failed", e);
            }
        }

        /** Evaluates {@code expression} in the page and returns its value. */
        JsonNode eval(String expression) {
            return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
                    .path("result").path("value");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> f = msg.has("id") ? pending.remove(msg.path("id").asInt()) : null;
                    if (f != null) {
                        f.complete(msg);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
