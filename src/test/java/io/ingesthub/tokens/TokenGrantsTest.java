package io.ingesthub.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.ops.HubMetrics;
import io.ingesthub.registry.TenantRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The grants of the token endpoint on their own: the sign-in bound, equal work whatever is stored, the throttle per
 * username and address, client_credentials and HTTP Basic client authentication, and a log free of caller input.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenGrantsTest {

    private static final TenantRegistry REGISTRY =
            new TenantRegistry(Path.of("src/test/resources/registry/tenants.yaml"), false);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenService tokens = new TokenService(
            "unit-test-secret-0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(1), Duration.ofDays(1), Clock.systemUTC());
    private final TokenGrants grants = grants(1);

    private TokenGrants grants(int signInConcurrency) {
        TokenProperties properties = new TokenProperties(null, Path.of("unused"), Duration.ofHours(1),
                Duration.ofDays(1), new TokenProperties.LoginThrottle(3, Duration.ofMinutes(1)), null, null,
                signInConcurrency);
        return new TokenGrants(REGISTRY, tokens, properties, JSON,
                new HubProperties("demo", new HubProperties.Topics("ingest.", "dlq.v1"), null, null),
                new HubMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void refusesASignInBeyondItsConcurrencyBoundWith503AndRetryAfter() throws Exception {
        grants.signIns().acquire();
        try {
            TokenGrants.Answer busy = grants.grant(form("grant_type=password&client_id=demo-app-token"
                    + "&username=svc-ingest%40demo.local&password=demo-password", "10.0.0.1"));
            assertThat(busy.status()).isEqualTo(503);
            assertThat(json(busy).path("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(busy.headers()).containsEntry("Retry-After", "1");
            assertThat(grants.bcryptRuns()).isZero();
        } finally {
            grants.signIns().release();
        }
        assertThat(grants.grant(form("grant_type=password&client_id=demo-app-token"
                + "&username=svc-ingest%40demo.local&password=demo-password", "10.0.0.1")).status()).isEqualTo(200);
    }

    @Test
    void doesOneBcryptOfEqualCostForAnUnknownUserAndForEveryStoredHashType() {
        String[][] attempts = {
                {"nobody@demo.local", "x"},                      // unknown user
                {"svc-ingest@demo.local", "wrong"},              // {noop} account
                {"svc-bcrypt@demo.local", "wrong"},              // {bcrypt} account
                {"svc-ingest@demo.local", "demo-password"},      // {noop} account, right password
        };
        for (String[] attempt : attempts) {
            long before = grants.bcryptRuns();
            grants.grant(form("grant_type=password&client_id=demo-app-token&username="
                    + enc(attempt[0]) + "&password=" + enc(attempt[1]), "10.0.0.2"));
            assertThat(grants.bcryptRuns() - before).as(attempt[0]).isEqualTo(1);
        }
        assertThat(TokenGrants.DUMMY_COST).isEqualTo(10);
    }

    @Test
    void throttlesPerUsernameAndAddressSoThatAnotherAddressCanStillSignIn() {
        String wrong = "grant_type=password&client_id=demo-app-token&username=svc-ingest%40demo.local&password=bad";
        for (int i = 0; i < 3; i++) {
            assertThat(grants.grant(form(wrong, "203.0.113.9")).status()).isEqualTo(400);
        }
        TokenGrants.Answer throttled = grants.grant(form(wrong.replace("bad", "demo-password"), "203.0.113.9"));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.headers()).containsKey("Retry-After");

        TokenGrants.Answer owner = grants.grant(form(wrong.replace("bad", "demo-password"), "198.51.100.7"));
        assertThat(owner.status()).as(new String(owner.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    }

    @Test
    void issuesAClientCredentialsTokenWithoutARefreshTokenForASecretInTheBodyOrByBasic() throws Exception {
        TokenGrants.Answer body = grants.grant(form("grant_type=client_credentials&client_id=datadog-token"
                + "&client_secret=datadog-client-secret", "10.0.0.3"));
        assertThat(body.status()).as(new String(body.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(json(body).has("refresh_token")).isFalse();
        TokenService.Claims claims = tokens.verifyAccess(json(body).path("access_token").asText());
        assertThat(claims.clientOnly()).isTrue();
        assertThat(claims.app()).isEqualTo("datadog-monitors");

        TokenGrants.Answer basic = grants.grant(new TokenGrants.Request("application/x-www-form-urlencoded",
                "grant_type=client_credentials", "127.0.0.1", basic("datadog-token", "datadog-client-secret"),
                "10.0.0.3"));
        assertThat(basic.status()).isEqualTo(200);
    }

    @Test
    void answersInvalidClientWithABasicChallengeWhenBasicWasUsed() throws Exception {
        TokenGrants.Answer wrongBasic = grants.grant(new TokenGrants.Request("application/x-www-form-urlencoded",
                "grant_type=client_credentials", "127.0.0.1", basic("datadog-token", "wrong"), "10.0.0.4"));
        assertThat(wrongBasic.status()).isEqualTo(401);
        assertThat(json(wrongBasic).path("error").asText()).isEqualTo("invalid_client");
        assertThat(wrongBasic.headers().get("WWW-Authenticate")).startsWith("Basic realm=\"ingest-hub\"");

        TokenGrants.Answer wrongBody = grants.grant(form("grant_type=client_credentials&client_id=datadog-token"
                + "&client_secret=wrong", "10.0.0.4"));
        assertThat(wrongBody.status()).isEqualTo(401);
        assertThat(wrongBody.headers()).doesNotContainKey("WWW-Authenticate");

        TokenGrants.Answer noSecret = grants.grant(form("grant_type=client_credentials&client_id=demo-app-token",
                "10.0.0.4"));
        assertThat(noSecret.status()).isEqualTo(400);
        assertThat(json(noSecret).path("error").asText()).isEqualTo("unauthorized_client");
    }

    @Test
    void takesTheClientIdByBasicForThePasswordAndRefreshGrants() throws Exception {
        TokenGrants.Answer signIn = grants.grant(new TokenGrants.Request("application/x-www-form-urlencoded",
                "grant_type=password&username=svc-ingest%40demo.local&password=demo-password", "127.0.0.1",
                basic("demo-app-token", ""), "10.0.0.5"));
        assertThat(signIn.status()).as(new String(signIn.body(), StandardCharsets.UTF_8)).isEqualTo(200);

        TokenGrants.Answer refreshed = grants.grant(new TokenGrants.Request("application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + json(signIn).path("refresh_token").asText(), "127.0.0.1",
                basic("demo-app-token", ""), "10.0.0.5"));
        assertThat(refreshed.status()).isEqualTo(200);

        TokenGrants.Answer twice = grants.grant(new TokenGrants.Request("application/x-www-form-urlencoded",
                "grant_type=password&client_id=demo-app-token&username=a&password=b", "127.0.0.1",
                basic("demo-app-token", ""), "10.0.0.5"));
        assertThat(json(twice).path("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void logsNothingTheCallerChose(CapturedOutput output) {
        grants.grant(form("grant_type=password&client_id=demo-app-token&username=evil-user-42&password=p4ss-99",
                "10.0.0.6"));
        grants.grant(form("grant_type=password&evil-param-77=1&evil-param-77=2", "10.0.0.6"));
        grants.grant(new TokenGrants.Request("application/json", "{\"grant_type\":\"password\",\"evil-key-88\":1}",
                "127.0.0.1", null, "10.0.0.6"));
        grants.grant(form("grant_type=evil-grant-55", "10.0.0.6"));

        assertThat(output.getAll()).contains("Token request refused")
                .doesNotContain("evil-user-42", "p4ss-99", "evil-param-77", "evil-key-88", "evil-grant-55");
    }

    private static TokenGrants.Request form(String body, String address) {
        return new TokenGrants.Request("application/x-www-form-urlencoded", body, "127.0.0.1", null, address);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode json(TokenGrants.Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
