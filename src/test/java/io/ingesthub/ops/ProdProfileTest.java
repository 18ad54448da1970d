package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ingesthub.support.HubTestSupport;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/** The prod profile: operator paths behind the admin login, webhooks untouched by it, probes public, JSON logs, no local broker. */
@ActiveProfiles("prod")
@AutoConfigureObservability(tracing = false)
@TestPropertySource(properties = {
        "hub.tokens.secret=prod-profile-test-secret-0123456789abcdef",
        "hub.admin.username=ops",
        "hub.admin.password=test-admin-pass",
        "hub.tokens.audience=https://prod-test.example.com",
        // The shared test registry holds the demo credentials and no tenant for the test's Host: ProdStartTest
        // covers what prod refuses there.
        "hub.refuse-unsafe-secrets=false",
        "hub.default-tenant=demo"})
class ProdProfileTest extends HubTestSupport {

    @Autowired
    Environment environment;

    private static final String ROUTES = "/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/State";

    @Test
    void refusesOperatorPathsWithoutALogin() {
        for (String path : new String[] {"/actuator/hawtio/", ROUTES, "/actuator/prometheus", "/actuator/metrics"}) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path)
                    .hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
        }
        HttpResponse<String> wrong = get("/actuator/hawtio/", "ops:wrong-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).path("ingest_id").asText()).isNotBlank();
    }

    @Test
    void servesHawtioJolokiaAndMetricsToTheAdmin() {
        HttpResponse<String> console = get("/actuator/hawtio/", "ops:test-admin-pass");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).containsIgnoringCase("hawtio");

        HttpResponse<String> routes = get(ROUTES, "ops:test-admin-pass");
        assertThat(routes.statusCode()).as(routes.body()).isEqualTo(200);
        assertThat(json(routes).path("status").asInt()).as(routes.body()).isEqualTo(200);
        assertThat(json(routes).path("value").toString()).contains("name=\\\"incidents\\\"", "Started");

        assertThat(get("/actuator/prometheus", "ops:test-admin-pass").body()).contains("camel_context=\"ingest-hub\"");
    }

    @Test
    void acceptsAnAdminPostWithBasicAuthWithoutACsrfToken() {
        String search = "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/jolokia"))
                .header("Authorization", basic("ops:test-admin-pass"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(search)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("incidents");
    }

    @Test
    void sendsABrowserToTheLoginFormAndIntoHawtioAfterIt() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> first = browser.send(HttpRequest.newBuilder(uri("/actuator/hawtio/"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(uri("/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.body());
        assertThat(csrf.find()).as(form.body()).isTrue();
        String credentials = "username=ops&password=test-admin-pass&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(credentials)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/actuator/hawtio/"));

        HttpResponse<String> console = browser.send(HttpRequest.newBuilder(uri("/actuator/hawtio/"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);

        String search = "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}";
        HttpRequest.Builder jolokia = HttpRequest.newBuilder(uri("/actuator/jolokia"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(search));
        HttpResponse<String> forged = browser.send(jolokia.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as("a session POST without the CSRF token").isEqualTo(403);
        String xsrf = cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst().orElseThrow().getValue();
        HttpResponse<String> withToken = browser.send(jolokia.header("X-XSRF-TOKEN", xsrf).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
        assertThat(withToken.body()).contains("incidents");
    }

    @Test
    void refusesACrossSiteJolokiaPostThatRidesOnCachedBasicCredentials() {
        String search = "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}";
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/actuator/jolokia"))
                .header("Authorization", basic("ops:test-admin-pass"))
                .header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(search)).build());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
    }

    @Test
    void asksTheCsrfTokenOfAJolokiaGetThatExecutesButNotOfOneThatReads() {
        String exec = "/actuator/jolokia/exec/org.apache.camel:context=ingest-hub,type=routes,name=%22incidents%22/start()";
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri(exec))
                .header("Authorization", basic("ops:test-admin-pass"))
                .header("Sec-Fetch-Site", "cross-site").GET().build());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        HttpResponse<String> read = send(HttpRequest.newBuilder(uri(ROUTES))
                .header("Authorization", basic("ops:test-admin-pass"))
                .header("Sec-Fetch-Site", "cross-site").GET().build());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    }

    @Test
    void throttlesTheOperatorLoginPerUsernameAndAddress() {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/actuator/metrics", "intruder:guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = get("/actuator/metrics", "intruder:guess-5");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(get("/actuator/metrics", "ops:test-admin-pass").statusCode()).isEqualTo(200);
    }

    @Test
    void comparesAPlainOperatorPasswordInConstantTime() {
        org.springframework.security.crypto.password.PasswordEncoder encoder = AdminSecurity.operatorPasswords();
        assertThat(encoder.matches("test-admin-pass", "{noop}test-admin-pass")).isTrue();
        assertThat(encoder.matches("test-admin-pas", "{noop}test-admin-pass")).isFalse();
        assertThat(encoder.matches("x", "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4)
                .encode("x"))).isTrue();
        assertThat(new AdminSecurity.ConstantTimePlainText()).isNotInstanceOf(
                org.springframework.security.crypto.password.NoOpPasswordEncoder.class);
    }

    @Test
    void keepsProbesPublic() {
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200));
        assertThat(get("/actuator/health/readiness", null).body()).doesNotContain("brokers");
    }

    @Test
    void leavesWebhookPostsToTheHubsOwnAuthentication() {
        HttpResponse<String> response = ingest("/incidents", "{\"sys_id\":\"prod-1\",\"short_description\":\"no csrf token, no login\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void logsJsonAndNeverStartsTheInProcessBroker() {
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(environment.getProperty("hub.kafka.embedded.enabled", Boolean.class, false)).isFalse();
        assertThat(environment.getProperty("camel.component.kafka.brokers")).isEqualTo(broker.getBrokersAsString());
    }

    private HttpResponse<String> get(String path, String userAndPassword) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (userAndPassword != null) {
            b.header("Authorization", basic(userAndPassword));
        }
        return send(b.build());
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
