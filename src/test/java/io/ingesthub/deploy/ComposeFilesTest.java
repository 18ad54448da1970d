package io.ingesthub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Reads docker-compose.yml, docker/nginx.conf, the Dockerfile and .env.example and checks what docs/operations.md promises of them. */
class ComposeFilesTest {

    private static Map<String, Object> compose;
    private static String nginx;
    private static String dockerfile;

    @BeforeAll
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        nginx = Files.readString(Path.of("docker/nginx.conf")).replaceAll("(?m)#.*$", "");
        dockerfile = Files.readString(Path.of("Dockerfile"));
    }

    @Test
    void nginxMarksAReplicaFailedOnErrorsTimeoutsAnd503AndResendsAWebhookOnceMore() {
        assertThat(directive("proxy_next_upstream")).containsExactlyInAnyOrder(
                "error", "timeout", "http_503", "non_idempotent");
        assertThat(Integer.parseInt(directive("proxy_next_upstream_tries").get(0))).isBetween(2, 3);
        assertThat(directive("proxy_next_upstream_timeout")).hasSize(1);
        for (String block : upstreams().values()) {
            assertThat(block).contains("server hub-1:8080 max_fails=1 fail_timeout=").contains("server hub-2:8080 max_fails=1");
        }
    }

    @Test
    void whenNoReplicaIsLeftNginxAnswersAProblem503WithRetryAfterNeverA502() {
        assertThat(directive("error_page")).containsExactly("502", "503", "504", "=503", "@unavailable");
        assertThat(nginx).doesNotContain("proxy_intercept_errors on");
        String unavailable = block("location @unavailable");
        assertThat(unavailable).contains("default_type application/problem+json;")
                .containsPattern("add_header Retry-After \\d+ always;")
                .contains("return 503 '{\"type\":");
        Matcher json = Pattern.compile("return 503 '(\\{.*})\\\\n';").matcher(unavailable);
        assertThat(json.find()).isTrue();
        assertThat(json.group(1)).contains("\"status\":503").contains("\"ingest_id\":").contains("\"detail\":");
    }

    @Test
    void nginxLogsNoQueryStringAndSetsForwardedHostItself() {
        Matcher format = Pattern.compile("log_format\\s+(\\w+)\\s+((?:'[^']*'\\s*)+);").matcher(nginx);
        assertThat(format.find()).as("a log_format").isTrue();
        String fields = format.group(2);
        assertThat(fields).contains("$uri").doesNotContain("$request ").doesNotContain("$request\"")
                .doesNotContain("$request_uri").doesNotContain("$args").doesNotContain("$query_string")
                .doesNotContain("$http_referer");
        assertThat(nginx).contains("access_log /var/log/nginx/access.log " + format.group(1) + ";");
        assertThat(directive("proxy_set_header X-Forwarded-Host")).containsExactly("$host");
        assertThat(nginx).doesNotContain("$http_x_forwarded_host");
    }

    @Test
    void nginxTerminatesTlsWithTheMountedCertificate() {
        assertThat(nginx).containsPattern("listen 443 ssl;");
        assertThat(directive("ssl_certificate")).containsExactly("/etc/nginx/certs/hub.crt");
        assertThat(directive("ssl_certificate_key")).containsExactly("/etc/nginx/certs/hub.key");
        Map<String, Object> lb = service("lb");
        assertThat(strings(lb.get("volumes"))).contains("./docker/certs:/etc/nginx/certs:ro");
        assertThat(strings(lb.get("ports"))).contains("8443:443");
    }

    @Test
    void everyServiceHasAMemoryLimitAndTheHubHeapFitsIt() {
        for (String name : services().keySet()) {
            assertThat(service(name)).as(name).containsKey("mem_limit");
        }
        for (String hub : List.of("hub-1", "hub-2")) {
            long limit = bytes(service(hub).get("mem_limit").toString());
            String opts = environment(hub).get("JAVA_TOOL_OPTIONS");
            Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(opts);
            assertThat(percent.find()).as(opts).isTrue();
            long heap = limit * Integer.parseInt(percent.group(1)) / 100;
            assertThat(heap).as("heap of " + hub).isBetween(256L << 20, limit - (256L << 20));
            assertThat(opts).doesNotContain("-Xmx");
            // The image's own flags, which the benchmark gives both of its targets: compose must not run other ones.
            Matcher image = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
            assertThat(image.find()).isTrue();
            assertThat(opts).as(hub).isEqualTo(image.group(1));
        }
        long kafka = bytes(service("kafka").get("mem_limit").toString());
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(environment("kafka").get("KAFKA_HEAP_OPTS"));
        assertThat(xmx.find()).isTrue();
        assertThat(Long.parseLong(xmx.group(1)) << 20).isLessThanOrEqualTo(kafka * 3 / 4);
    }

    @Test
    void imageHealthcheckGivesTheMeasuredStartTimeRoom() {
        Matcher hc = Pattern.compile("HEALTHCHECK (.*?) \\\\\\n\\s*CMD (.*)").matcher(dockerfile);
        assertThat(hc.find()).isTrue();
        assertThat(hc.group(1)).contains("--start-period=300s").contains("--start-interval=2s");
        assertThat(hc.group(2)).contains("/actuator/health/readiness").contains("' 200'");
    }

    @Test
    void theImageRunsTheExtractedLayoutItsBuildStageMakes() {
        // Plain jars in lib/ next to the application jar, not jars nested in one: the start is a quarter faster.
        assertThat(dockerfile).contains("java -Djarmode=tools -jar /src/ingest-hub.jar extract --destination /src/app")
                .contains("COPY --from=build /src/app/ ./")
                .contains("ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=/app/ingest-hub.jsa\", \"-jar\", \"/app/ingest-hub.jar\"]")
                .doesNotContain("COPY --from=build /src/ingest-hub.jar");
    }

    @Test
    void theImageWritesItsClassDataSharingArchiveWithTheRuntimeJvmBeforeItDropsRoot() throws IOException {
        // The archive is valid only for the JVM and the jars that wrote it: the runtime stage, not the build stage.
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtime).contains("COPY docker/cds-archive.sh /app/cds-archive.sh\n"
                + "RUN bash /app/cds-archive.sh /app/ingest-hub.jar /app/ingest-hub.jsa\n");
        // After the JVM flags it trains with, before USER hub (the hub may not write into /app).
        assertThat(runtime.indexOf("JAVA_TOOL_OPTIONS=")).isLessThan(runtime.indexOf("RUN bash /app/cds-archive.sh"));
        assertThat(runtime.indexOf("RUN bash /app/cds-archive.sh")).isLessThan(runtime.indexOf("USER hub"));
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
        assertThat(ignored).contains("docker", "!docker/cds-archive.sh");
        assertThat(ignored.indexOf("!docker/cds-archive.sh")).isGreaterThan(ignored.indexOf("docker"));
        assertThat(Path.of("docker/cds-archive.sh")).isExecutable();
    }

    @Test
    void theImageShipsNoRegistryAndComposeMountsTheOperatorsOwn() {
        assertThat(dockerfile).doesNotContainPattern("(?m)^COPY config").contains("HUB_REGISTRY_FILE=/etc/ingest-hub/tenants.yaml");
        assertThat(dockerfile).doesNotContain("MaxRAMPercentage=75");
        for (String hub : List.of("hub-1", "hub-2")) {
            assertThat(environment(hub)).containsEntry("HUB_REGISTRY_FILE", "/etc/ingest-hub/tenants.yaml");
            List<String> volumes = strings(service(hub).get("volumes"));
            assertThat(volumes).noneMatch(v -> v.startsWith("./config"));
            assertThat(volumes).anyMatch(v -> v.startsWith("${HUB_REGISTRY_SOURCE:?") && v.endsWith(":/etc/ingest-hub/tenants.yaml:ro"));
        }
        assertThat(Path.of("config/tenants.yaml")).as("the local default's registry stays in the repository").exists();
    }

    @Test
    void envExampleLeavesTheSecretsEmptySoComposeRefusesToStartWithoutThem() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".env.example"));
        assertThat(lines).contains("HUB_TOKENS_SECRET=", "HUB_ADMIN_PASSWORD=");
        String hubEnv = environment("hub-1").toString();
        assertThat(hubEnv).contains("${HUB_TOKENS_SECRET:?").contains("${HUB_ADMIN_PASSWORD:?");
    }

    @Test
    void composeSaysWhatReplicationARealClusterNeeds() throws IOException {
        String text = Files.readString(Path.of("docker-compose.yml"));
        assertThat(text).contains("replication factor 3 and min.insync.replicas=2");
        Map<String, String> init = environment("kafka-init");
        assertThat(init).containsEntry("KAFKA_REPLICATION_FACTOR", "${KAFKA_REPLICATION_FACTOR:-1}")
                .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "${KAFKA_MIN_INSYNC_REPLICAS:-1}");
        String command = strings(service("kafka-init").get("command")).get(0);
        assertThat(command).contains("--replication-factor \"$${KAFKA_REPLICATION_FACTOR}\"")
                .contains("--config min.insync.replicas=\"$${KAFKA_MIN_INSYNC_REPLICAS}\"");
    }

    /** The arguments of every occurrence of {@code name} (a directive, or a directive and its first argument). */
    private static List<String> directive(String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s+([^;{]+);").matcher(nginx);
        assertThat(m.find()).as("nginx directive " + name).isTrue();
        List<String> args = List.of(m.group(1).trim().split("\\s+"));
        assertThat(m.find()).as("one " + name + " only").isFalse();
        return args;
    }

    private static Map<String, String> upstreams() {
        return Map.of("hub", block("upstream hub"), "hub_operator", block("upstream hub_operator"));
    }

    private static String block(String header) {
        int start = nginx.indexOf(header + " {");
        assertThat(start).as(header).isNotNegative();
        Matcher end = Pattern.compile("(?m)^\\s*}\\s*$").matcher(nginx);
        assertThat(end.find(start)).as("end of " + header).isTrue();
        return nginx.substring(start, end.start());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() {
        return (Map<String, Object>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> s = (Map<String, Object>) services().get(name);
        assertThat(s).as("service " + name).isNotNull();
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Map<String, Object> env = (Map<String, Object>) service(name).get("environment");
        return env.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return ((List<Object>) list).stream().map(String::valueOf).toList();
    }

    private static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kmg])").matcher(size.toLowerCase());
        assertThat(m.matches()).as(size).isTrue();
        int shift = switch (m.group(2)) { case "k" -> 10; case "m" -> 20; default -> 30; };
        return Long.parseLong(m.group(1)) << shift;
    }
}
