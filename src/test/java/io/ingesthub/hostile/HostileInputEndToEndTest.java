package io.ingesthub.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.HubTestSupport;
import io.ingesthub.web.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A seeded corpus of hostile requests against the running hub over real HTTP: mutated real payloads, JSON extremes,
 * path spellings, header and framing abuse, compressed and slow bodies. None may get a 5xx other than 503 or a stack
 * trace, health stays up and a known-good request still gets its 200.
 */
@TestPropertySource(properties = {"hub.limits.max-in-flight=16", "hub.limits.body-read-timeout=2s"})
class HostileInputEndToEndTest extends HubTestSupport {

    private static final long SEED = 20261201L;
    private static final Pattern LEAK = Pattern.compile(
            "\\tat [a-zA-Z]|[a-z]\\.[A-Za-z]+Exception|Whitelabel|java\\.lang\\.|org\\.springframework\\.|org\\.apache\\.");
    private static final String[] PATHS = {"/alerts", "/changes", "/conversations", "/knowledge-articles",
            "/incidents", "/requests", "/requestitems", "/request-items", "/problems"};
    private static final String GOOD = "{\"sys_id\":\"hostile-good-1\",\"short_description\":\"Disk full\"}";

    /** One request of the corpus: its class, the raw bytes to send, and how long to wait for the answer. */
    private record Case(String kind, byte[] request, int dripMillis, int waitMillis) {}

    private final Map<String, Map<Integer, AtomicInteger>> table = new ConcurrentHashMap<>();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void noHostileRequestGetsA5xxOrAStackTraceAndTheHubKeepsServing() throws Exception {
        assertThat(health()).isEqualTo(200);
        List<Case> corpus = corpus(new Random(SEED));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(2000);

        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (Case c : corpus) {
                runs.add(pool.submit(() -> run(c)));
            }
            for (Future<?> f : runs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println(report(corpus.size(), Duration.ofNanos(System.nanoTime() - started)));

        assertThat(violations).as("answers that break the rule").isEmpty();
        assertThat(health()).isEqualTo(200);
        HttpResponse<String> good = ingest("/incidents", GOOD);
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    }

    private void run(Case c) {
        RawHttp.Answer answer;
        try (RawHttp raw = new RawHttp(port, c.waitMillis())) {
            if (c.dripMillis() > 0) {
                raw.raw(c.request());
                long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                try {
                    while (System.nanoTime() < end) {
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(c.dripMillis()).toNanos());
                        raw.chunk(" ".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException closedByTheHub) {
                    // the hub gave up on the body: its answer is what counts
                }
            } else {
                try {
                    raw.raw(c.request());
                } catch (IOException closedEarly) {
                    // the hub answered before the whole body was sent
                }
            }
            answer = raw.answer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.computeIfAbsent(c.kind(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
        int status = answer.status();
        String first = new String(c.request(), 0, Math.min(120, c.request().length), StandardCharsets.ISO_8859_1)
                .replaceAll("[\\r\\n]+", " | ");
        if (status >= 500 && status != 503) {
            violations.add(c.kind() + " " + status + ": " + first + " -> " + snippet(answer.text()));
        }
        if (LEAK.matcher(answer.text()).find()) {
            violations.add(c.kind() + " stack trace text: " + first + " -> " + snippet(answer.text()));
        }
        if (status == 0 && !c.kind().equals("framing") && !c.kind().equals("slow-body")) {
            violations.add(c.kind() + " no answer: " + first);
        }
    }

    private static String snippet(String text) {
        return text.length() > 400 ? text.substring(0, 400) : text;
    }

    private String report(int cases, Duration took) {
        TreeMap<Integer, Boolean> statuses = new TreeMap<>();
        table.values().forEach(m -> m.keySet().forEach(s -> statuses.put(s, true)));
        StringBuilder b = new StringBuilder("Hostile input: " + cases + " cases in " + took.toMillis() + " ms\n");
        b.append(String.format("%-16s", "class"));
        statuses.keySet().forEach(s -> b.append(String.format("%6s", s == 0 ? "none" : s)));
        b.append('\n');
        new TreeMap<>(table).forEach((kind, counts) -> {
            b.append(String.format("%-16s", kind));
            statuses.keySet().forEach(s -> b.append(String.format("%6d",
                    counts.getOrDefault(s, new AtomicInteger()).get())));
            b.append('\n');
        });
        return b.toString();
    }

    private int health() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/actuator/health")).timeout(Duration.ofSeconds(10))
                .GET().build());
        return r.body().contains("\"UP\"") ? r.statusCode() : -r.statusCode();
    }

    // ---- the corpus ----

    private List<Case> corpus(Random random) throws IOException {
        List<byte[]> samples = samples();
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            byte[] body = mutate(samples.get(random.nextInt(samples.size())), random);
            cases.add(post("mutated-payload", pick(PATHS, random), jsonHeaders(random.nextInt(10) > 0), body));
        }
        for (int i = 0; i < 450; i++) {
            cases.add(post("json-extremes", pick(PATHS, random), jsonHeaders(true), extreme(random)));
        }
        String[] variants = {"/alerts;x=1", "/%61lerts", "/alerts/", "//alerts", "/alerts%2F", "/ALERTS",
                "/alerts;jsessionid=1", "/alerts/..;/incidents", "/%69ncidents;a=b/", "/sources/x;y", "/sources/%2e%2e",
                "/sources/github", "/sources/", "/tenant-users/oauth2/token;x", "/tenant-users/oauth2/%74oken",
                "/tenant-users/oauth2/token/", "/incidents%00", "/incidents%", "/incidents%zz", "/a%2F..%2Fincidents"};
        for (int i = 0; i < 300; i++) {
            String path = pick(variants, random);
            byte[] body = random.nextBoolean() ? samples.get(random.nextInt(samples.size()))
                    : ("{\"grant_type\":\"password\",\"client_id\":\"" + "x".repeat(random.nextInt(40_000)) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = jsonHeaders(random.nextBoolean());
            if (random.nextBoolean()) {
                headers.put("Content-Type", "text/plain");
            }
            cases.add(random.nextBoolean() ? post("path-variants", path, headers, body)
                    : chunked("path-variants", path, headers, body));
        }
        for (int i = 0; i < 250; i++) {
            cases.add(headerAbuse(random, samples.get(random.nextInt(samples.size()))));
        }
        byte[] bomb = gzip(spaces(11 * 1024 * 1024));
        byte[] nestedBomb = gzip("[".repeat(3_000_000).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 150; i++) {
            Map<String, String> headers = jsonHeaders(true);
            byte[] sample = samples.get(random.nextInt(samples.size()));
            switch (i % 6) {
                case 0 -> cases.add(post("encoding", pick(PATHS, random), with(headers, "Content-Encoding", "gzip"),
                        bomb));
                case 1 -> cases.add(post("encoding", pick(PATHS, random), with(headers, "Content-Encoding", "gzip"),
                        nestedBomb));
                case 2 -> cases.add(post("encoding", pick(PATHS, random), with(headers, "Content-Encoding", "gzip"),
                        sample));
                case 3 -> {
                    byte[] z = gzip(sample);
                    cases.add(chunked("encoding", pick(PATHS, random), with(headers, "Content-Encoding", "gzip"),
                            Arrays.copyOf(z, Math.max(1, z.length / 2))));
                }
                case 4 -> cases.add(post("encoding", pick(PATHS, random), with(headers, "Content-Encoding",
                        pick(new String[] {"deflate", "br", "compress", "gzip, gzip", "zstd", "identity"}, random)),
                        sample));
                default -> cases.add(post("encoding", "/tenant-users/oauth2/token",
                        with(with(new LinkedHashMap<>(), "Content-Type", "application/json"), "Content-Encoding",
                                "gzip"), random.nextBoolean() ? bomb : sample));
            }
        }
        for (int i = 0; i < 80; i++) {
            cases.add(framing(random, samples.get(random.nextInt(samples.size()))));
        }
        for (int i = 0; i < 8; i++) {
            Map<String, String> headers = jsonHeaders(i % 2 == 0);
            headers.put("Transfer-Encoding", "chunked");
            cases.add(new Case("slow-body", head(i % 3 == 0 ? "/tenant-users/oauth2/token" : pick(PATHS, random),
                    headers), 250, 8000));
        }
        java.util.Collections.shuffle(cases, random);
        return cases;
    }

    private Case headerAbuse(Random random, byte[] sample) {
        Map<String, String> headers = jsonHeaders(random.nextInt(4) > 0);
        String path = pick(PATHS, random);
        switch (random.nextInt(10)) {
            case 0 -> headers.remove("Content-Type");
            case 1 -> headers.put("Content-Type", pick(new String[] {"text/plain", "application/xml",
                    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;;;",
                    "application/json; charset=utf-16", "application/json; charset=nonsense", "*/*", "",
                    "application/vnd.x+json"}, random));
            case 2 -> headers.put("X-Huge", "a".repeat(4_000 + random.nextInt(60_000)));
            case 3 -> headers.put("x-app-token", "t".repeat(1 + random.nextInt(20_000)));
            case 4 -> headers.put("Authorization", pick(new String[] {"Basic Zm9vOmJhcg==", "Bearer", "Bearer ",
                    "bearer x.y.z", "Bearer " + "A".repeat(7000), "Digest x"}, random));
            case 5 -> headers.put("Host", pick(new String[] {"acme.example.com", "", "x".repeat(300) + ".example",
                    "[::1]", "demo:99999"}, random));
            case 6 -> {
                return post("headers", path + pick(new String[] {"?apptoken=demo-app-token&apptoken=x", "?at=%zz",
                        "?key=" + "k".repeat(5000), "?x-app-token=a", "?" + "p=1&".repeat(3000)}, random),
                        headers, sample);
            }
            case 7 -> {
                return new Case("headers", duplicateHeader(path, headers, sample), 0, 15000);
            }
            case 8 -> headers.put("Expect", "100-continue");
            default -> headers.put("Content-Type", "application/json; charset=iso-8859-1");
        }
        return post("headers", path, headers, sample);
    }

    private Case framing(Random random, byte[] sample) {
        Map<String, String> headers = jsonHeaders(true);
        String path = pick(PATHS, random);
        String h;
        byte[] body = sample;
        switch (random.nextInt(7)) {
            case 0 -> h = "Content-Length: " + Math.max(0, body.length - 1 - random.nextInt(Math.max(1, body.length)))
                    + "\r\n";
            case 1 -> {
                // declares more than it sends: the read deadline ends it
                h = "Content-Length: " + (body.length + 10) + "\r\n";
            }
            case 2 -> h = "Content-Length: -5\r\n";
            case 3 -> h = "Content-Length: 99999999999999999999\r\n";
            case 4 -> h = "Content-Length: " + body.length + "\r\nTransfer-Encoding: chunked\r\n";
            case 5 -> {
                h = "Transfer-Encoding: chunked\r\n";
                body = concat("zz\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII), body);
            }
            default -> h = "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length / 2) + "\r\n";
        }
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        b.append(h).append("\r\n");
        return new Case("framing", concat(b.toString().getBytes(StandardCharsets.ISO_8859_1), body), 0, 8000);
    }

    private byte[] duplicateHeader(String path, Map<String, String> headers, byte[] body) {
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        b.append("Content-Type: text/plain\r\nx-app-token: other\r\nContent-Length: ").append(body.length)
                .append("\r\n\r\n");
        return concat(b.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static byte[] extreme(Random random) {
        String value = switch (random.nextInt(16)) {
            case 0 -> "1e400";
            case 1 -> "\"1e500000000\"";
            case 2 -> "-1e400";
            case 3 -> "1" + "0".repeat(5000);
            case 4 -> "\"" + "9".repeat(100_000) + "\"";
            case 5 -> "[".repeat(2000) + "]".repeat(2000);
            case 6 -> "{\"a\":".repeat(1500) + "1" + "}".repeat(1500);
            case 7 -> "\"" + "x".repeat(1 + random.nextInt(200_000)) + "\"";
            case 8 -> "[" + "1,".repeat(100_000) + "1]";
            case 9 -> "\"" + " ".repeat(200_000) + "\"";
            case 10 -> "\"%%%" + " ".repeat(100_000) + "\"";
            case 11 -> "\"\\uD800\\uDBFF\"";
            case 12 -> "1e-400";
            case 13 -> "\"" + "a,".repeat(100_000) + "\"";
            case 14 -> "0." + "1".repeat(20_000) + "e-999999999";
            default -> "\"-0x1p99999\"";
        };
        String[] fields = {"sys_id", "short_description", "priority", "impact", "number", "opened_at", "quantity",
                "alert_id", "description", "sys_updated_on", "value"};
        String field = fields[random.nextInt(fields.length)];
        String record = "{\"sys_id\":\"hostile-" + random.nextInt(1000) + "\",\"" + field + "\":" + value + "}";
        if (random.nextInt(5) == 0 && record.length() < 200) {
            record = "[" + (record + ",").repeat(1 + random.nextInt(1200)) + record + "]";
        }
        return record.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(byte[] sample, Random random) {
        byte[] b = sample.clone();
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = Arrays.copyOf(b, at);
                case 2 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 +
                        random.nextInt(20)), b.length));
                case 3 -> b = concat(concat(Arrays.copyOf(b, at), pick(new String[] {"{", "[", "\"", "1e400", "null",
                        ",", ":", "\\u0000", "\u00ff", "}}}}", "\"\\ud800\""}, random).getBytes(StandardCharsets.UTF_8)),
                        Arrays.copyOfRange(b, at, b.length));
                case 4 -> b = b.length < 100_000 ? concat(b, b) : b;
                default -> b[at] = (byte) "{}[]\",:0e-".charAt(random.nextInt(10));
            }
        }
        return b;
    }

    private Map<String, String> jsonHeaders(boolean withCredentials) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (withCredentials) {
            headers.putAll(credentials());
        }
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        headers.put(name, value);
        return headers;
    }

    private static Case post(String kind, String path, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Length", Integer.toString(body.length));
        return new Case(kind, concat(head(path, all), body), 0, 20000);
    }

    private static Case chunked(String kind, String path, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Transfer-Encoding", "chunked");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head(path, all));
        for (int at = 0; at < body.length; at += 8192) {
            int n = Math.min(8192, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Case(kind, out.toByteArray(), 0, 20000);
    }

    private static byte[] head(String path, Map<String, String> headers) {
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            b.append("Host: 127.0.0.1\r\n");
        }
        b.append("Connection: close\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> samples() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("mappings"))) {
            List<byte[]> samples = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".input.json")).sorted().toList()) {
                samples.add(Files.readAllBytes(p));
            }
            return samples;
        }
    }

    private static byte[] spaces(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) ' ');
        b[0] = '[';
        b[n - 1] = ']';
        return b;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String pick(String[] options, Random random) {
        return options[random.nextInt(options.length)];
    }
}
