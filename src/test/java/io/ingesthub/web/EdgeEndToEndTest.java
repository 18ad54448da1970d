package io.ingesthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.HubTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The HTTP edge over real HTTP: path spellings, encodings, credentials before bodies and the body read deadline. */
@TestPropertySource(properties = {"hub.limits.max-in-flight=16", "hub.limits.body-read-timeout=2s"})
class EdgeEndToEndTest extends HubTestSupport {

    private static final String RECORD = "{\"sys_id\":\"edge-1\",\"short_description\":\"Disk full\"}";

    private Map<String, String> json(Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(credentials());
        headers.put("Content-Type", "application/json");
        headers.putAll(extra);
        return headers;
    }

    @Autowired
    ServingGate gate;

    @Test
    void onceTheHubBeginsToStopItsPathsAnswer503WithRetryAfterInsteadOf404() throws IOException {
        assertThat(ingest("/incidents", RECORD).statusCode()).isEqualTo(200);
        gate.close();
        try {
            HttpResponse<String> webhook = post("/alerts", RECORD, json(Map.of()));
            assertProblem(webhook, 503);
            assertThat(webhook.headers().firstValue("Retry-After")).isPresent();
            HttpResponse<String> token = post("/tenant-users/oauth2/token", "{}", Map.of("Content-Type",
                    "application/json"));
            assertThat(token.statusCode()).isEqualTo(503);
            assertThat(token.body()).contains("temporarily_unavailable");
            assertThat(post("/sources/github", "{}", Map.of("Content-Type", "application/json")).statusCode())
                    .isEqualTo(503);
        } finally {
            gate.open();
        }
    }

    @Test
    void pathSpellingsTheRouterAcceptsGetTheSameChecksAsThePlainPath() {
        Map<String, String> text = new LinkedHashMap<>(credentials());
        text.put("Content-Type", "text/plain");
        for (String path : List.of("/alerts;x=1", "/%61lerts", "/alerts/", "/alerts;x=1/", "/incidents;jsessionid=1")) {
            HttpResponse<String> answer = post(path, RECORD, text);
            assertThat(answer.statusCode()).as(path + " " + answer.body()).isIn(400, 404, 415);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(path)
                    .startsWith("application/problem+json");
        }
    }

    @Test
    void theTokenEndpointBoundsTheBodyWhateverThePathSpelling() throws IOException {
        String big = "{\"grant_type\":\"password\",\"client_id\":\"" + "x".repeat(40_000) + "\"}";
        for (String path : List.of("/tenant-users/oauth2/token;x", "/tenant-users/oauth2/%74oken",
                "/tenant-users/oauth2/token/")) {
            // Over a raw socket: the hub answers 413 and closes without reading the rest, which can break an HTTP
            // client's own write before it reads the answer that is already there.
            byte[] body = big.getBytes(StandardCharsets.UTF_8);
            try (RawHttp raw = new RawHttp(port, 10_000)) {
                raw.head("POST", path, Map.of("Content-Type", "application/json",
                        "Content-Length", Integer.toString(body.length)));
                try {
                    raw.raw(body);
                } catch (IOException closedEarly) {
                    // the answer came first; it is read below
                }
                RawHttp.Answer declared = raw.answer();
                assertThat(declared.status()).as(path + " " + declared.text()).isIn(400, 404, 413);
            }
            try (RawHttp raw = new RawHttp(port, 10_000)) {
                raw.head("POST", path, Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"));
                raw.chunk(big.getBytes(StandardCharsets.UTF_8)).lastChunk();
                assertThat(raw.answer().status()).as(path + " chunked").isIn(400, 404, 413);
            }
        }
    }

    @Test
    void aBodyThatIsNotTheGzipItClaimsIsA400Problem() {
        HttpResponse<String> answer = post("/alerts", RECORD, json(Map.of("Content-Encoding", "gzip")));
        assertProblem(answer, 400);
    }

    @Test
    void validGzipIsDecodedAndTheLimitCountsDecodedBytes() throws IOException {
        HttpResponse<String> ok = sendBytes("/alerts", gzip(RECORD.getBytes(StandardCharsets.UTF_8)),
                json(Map.of("Content-Encoding", "gzip")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

        byte[] inflated = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(inflated, (byte) ' ');
        inflated[0] = '[';
        inflated[inflated.length - 1] = ']';
        byte[] bomb = gzip(inflated);
        assertThat(bomb.length).isLessThan(100_000);
        assertProblem(sendBytes("/alerts", bomb, json(Map.of("Content-Encoding", "gzip"))), 413);
    }

    @Test
    void anotherContentEncodingIs415() {
        assertProblem(post("/alerts", RECORD, json(Map.of("Content-Encoding", "br"))), 415);
        assertProblem(post("/incidents", RECORD, json(Map.of("Content-Encoding", "deflate"))), 415);
    }

    @Test
    void aChunkedUploadWithoutAKnownAppTokenIsRefusedBeforeItsBodyIsRead() throws IOException {
        for (Map<String, String> who : List.of(Map.<String, String>of(), Map.of("x-app-token", "nobody"))) {
            Map<String, String> headers = new LinkedHashMap<>(who);
            headers.put("Content-Type", "application/json");
            headers.put("Transfer-Encoding", "chunked");
            try (RawHttp raw = new RawHttp(port, 5_000)) {
                raw.head("POST", "/alerts", headers).chunk("[{\"alert_id\":".getBytes(StandardCharsets.UTF_8));
                RawHttp.Answer answer = raw.answer();
                assertThat(answer.status()).as(answer.text()).isEqualTo(401);
            }
        }
    }

    @Test
    void slowChunkedUploadsFromNobodyDoNotLockOutAGoodRequest() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                RawHttp raw = new RawHttp(port, 5_000);
                slow.add(raw);
                raw.head("POST", "/alerts", Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"))
                        .chunk("[".getBytes(StandardCharsets.UTF_8));
            }
            HttpResponse<String> good = post("/alerts", RECORD, json(Map.of()));
            assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        } finally {
            for (RawHttp raw : slow) {
                raw.close();
            }
        }
    }

    @Test
    void aBodySlowerThanTheReadDeadlineIsRefusedAndItsPermitReturned() throws Exception {
        for (int round = 0; round < 5; round++) {
            Map<String, String> headers = json(Map.of("Transfer-Encoding", "chunked"));
            try (RawHttp raw = new RawHttp(port, 8_000)) {
                raw.head("POST", "/alerts", headers);
                long start = System.nanoTime();
                raw.chunk("[".getBytes(StandardCharsets.UTF_8));
                RawHttp.Answer answer;
                // one byte every 300 ms: no single read stalls, the whole body does
                for (int i = 0; i < 30 && !raw.answered(); i++) {
                    try {
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                        raw.chunk(" ".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException closed) {
                        break;
                    }
                }
                answer = raw.answer();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(answer.status()).as(answer.text()).isIn(408, 400);
                assertThat(answer.text()).contains("application/problem+json");
                assertThat(took).isLessThan(Duration.ofSeconds(6));
            }
        }
        HttpResponse<String> good = post("/alerts", RECORD, json(Map.of()));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    }

    private HttpResponse<String> sendBytes(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }
}
