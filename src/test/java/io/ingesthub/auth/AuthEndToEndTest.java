package io.ingesthub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.support.HubTestSupport;
import io.ingesthub.tokens.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Authentication and tenancy over real HTTP: the token endpoint (JSON and form bodies, both grants, its errors and
 * throttling), every rule of the ingestion endpoints (headers, both query families, refusals by status), per-app
 * rate limits, registry hot reload, and that no secret reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthEndToEndTest extends HubTestSupport {

    private static final String TOKEN_PATH = "/tenant-users/oauth2/token";
    private static final String ACME_HOST = "acme.api.example.com";
    /** A record the ServiceNow, Jira and Zendesk mapping sets of the test registry all accept, with id auth-1. */
    private static final String RECORD = "{\"sys_id\":\"auth-1\",\"short_description\":\"Disk full\","
            + "\"issue\":{\"id\":\"auth-1\",\"key\":\"OPS-1\",\"fields\":{\"summary\":\"Disk full\"}},"
            + "\"events\":[{\"payload\":{\"conversation\":{\"id\":\"auth-1\"}}}]}";

    @Autowired
    private TenantRegistry registry;

    @AfterEach
    void putTheTestRegistryBack() {
        restoreRegistry();
        registry.reload();
    }

    // --- token endpoint -------------------------------------------------------------------------------------------

    @Test
    void issuesTokensForAJsonBodyThatAuthenticateAnIngest() {
        HttpResponse<String> response = requestToken(password(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode token = json(response);
        assertThat(token.path("token_type").asText()).isEqualTo("bearer");
        assertThat(token.path("expires_in").asInt()).isEqualTo(3600);
        assertThat(token.path("refresh_token").asText()).isNotBlank();
        assertThat(token.path("access_token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        HttpResponse<String> ingest = post("/incidents", RECORD, headers(DEMO_APP_TOKEN, token));
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = readResult(json(ingest).path("results").get(0));
        assertThat(record.key()).isEqualTo("demo:demo-servicenow:auth-1");
        assertThat(header(record, "hub_app")).isEqualTo("itsm-assistant");
        assertNoCredentialHeaders(record);
    }

    @Test
    void issuesTokensForAFormBody() {
        HttpResponse<String> response = post(TOKEN_PATH, form(password(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD)),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, json(response))).statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsABcryptPasswordAndAShaAppToken() {
        JsonNode token = token("jira-bridge-token", "svc-bcrypt@demo.local", "bcrypt-password");

        HttpResponse<String> ingest = post("/changes", RECORD, headers("jira-bridge-token", token));
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = readResult(json(ingest).path("results").get(0));
        assertThat(record.key()).isEqualTo("demo:demo-jira:auth-1");
        assertThat(header(record, "hub_app")).isEqualTo("jira-bridge");
    }

    @Test
    void answersTheSameForAnUnknownUserAWrongPasswordAndADisabledAccount() {
        HttpResponse<String> unknown = requestToken(password(DEMO_APP_TOKEN, "nobody@demo.local", "x"));
        HttpResponse<String> wrong = requestToken(password(DEMO_APP_TOKEN, "svc-bcrypt@demo.local", "wrong"));
        HttpResponse<String> disabled = requestToken(password(DEMO_APP_TOKEN, "svc-disabled@demo.local",
                "disabled-password"));

        assertOAuthError(unknown, 400, "invalid_grant");
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(disabled.body()).isEqualTo(unknown.body());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(disabled.statusCode()).isEqualTo(400);
    }

    @Test
    void answersRfc6749Errors() {
        assertOAuthError(requestToken(Map.of("grant_type", "password", "client_id", DEMO_APP_TOKEN,
                "username", DEMO_USER)), 400, "invalid_request");
        assertOAuthError(requestToken(Map.of("client_id", DEMO_APP_TOKEN)), 400, "invalid_request");
        assertOAuthError(requestToken(Map.of("grant_type", "client_credentials", "client_id", DEMO_APP_TOKEN)),
                400, "unauthorized_client");
        assertOAuthError(requestToken(Map.of("grant_type", "authorization_code", "client_id", DEMO_APP_TOKEN)),
                400, "unsupported_grant_type");
        assertOAuthError(requestToken(password("no-such-app-token", DEMO_USER, DEMO_PASSWORD)), 401, "invalid_client");
        assertOAuthError(post(TOKEN_PATH, "{not json", Map.of("Content-Type", "application/json")),
                400, "invalid_request");
        assertOAuthError(post(TOKEN_PATH, "grant_type=%zz&x", Map.of("Content-Type", "application/x-www-form-urlencoded")),
                400, "invalid_request");
        assertOAuthError(post(TOKEN_PATH, "grant_type=password", Map.of("Content-Type", "text/plain")),
                400, "invalid_request");
        assertOAuthError(post(TOKEN_PATH, form(password(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD))
                        + "&username=other", Map.of("Content-Type", "application/x-www-form-urlencoded")),
                400, "invalid_request");
    }

    @Test
    void refusesAnOversizedTokenRequestBeforeReadingIt() {
        String big = "grant_type=password&client_id=" + "x".repeat(20_000);
        assertOAuthError(post(TOKEN_PATH, big, Map.of("Content-Type", "application/x-www-form-urlencoded")),
                413, "invalid_request");
        HttpResponse<String> chunked = send(java.net.http.HttpRequest.newBuilder(uri(TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build());
        assertOAuthError(chunked, 413, "invalid_request");
    }

    @Test
    void refusesAnAppTokenOfAnotherTenantAtTheTokenEndpoint() {
        assertOAuthError(requestToken(password("acme-app-token", "svc@acme.local", "acme-password")),
                401, "invalid_client");
        assertOAuthError(requestToken(password(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD), Map.of("Host", ACME_HOST)),
                401, "invalid_client");
    }

    @Test
    void rotatesRefreshTokensAndRefusesReuse() {
        JsonNode first = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        HttpResponse<String> refreshed = requestToken(refresh(DEMO_APP_TOKEN, first));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode second = json(refreshed);
        assertThat(second.path("refresh_token").asText()).isNotEqualTo(first.path("refresh_token").asText());
        assertThat(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, second)).statusCode()).isEqualTo(200);

        JsonNode reuse = assertOAuthError(requestToken(refresh(DEMO_APP_TOKEN, first)), 400, "invalid_grant");
        assertThat(reuse.path("error_description").asText()).contains("already used");
        // a reused token revokes its family: the token issued after it stops working too
        assertOAuthError(requestToken(refresh(DEMO_APP_TOKEN, second)), 400, "invalid_grant");
    }

    @Test
    void refusesARefreshTokenPresentedByAnotherClientOrAsAccessToken() {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        assertOAuthError(requestToken(refresh("jira-bridge-token", token)), 400, "invalid_grant");
        assertOAuthError(requestToken(Map.of("grant_type", "refresh_token", "client_id", DEMO_APP_TOKEN,
                "refresh_token", token.path("access_token").asText())), 400, "invalid_grant");
        HttpResponse<String> asBearer = post("/alerts", RECORD, Map.of("Content-Type", "application/json",
                "x-app-token", DEMO_APP_TOKEN, "Authorization", "Bearer " + token.path("refresh_token").asText()));
        assertProblem(asBearer, 401);
    }

    @Test
    void revokesTheAccessTokensOfAFamilyWhenItsRefreshTokenIsReused() {
        JsonNode first = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);
        assertThat(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, first)).statusCode()).isEqualTo(200);
        JsonNode second = json(requestToken(refresh(DEMO_APP_TOKEN, first)));

        assertOAuthError(requestToken(refresh(DEMO_APP_TOKEN, first)), 400, "invalid_grant");

        assertThat(assertProblem(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, first)), 401).path("detail").asText())
                .contains("revoked");
        assertProblem(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, second)), 401);
        assertThat(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD)))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void issuesAClientCredentialsTokenThatIngestsForItsAppAloneUntilTheSecretChanges() {
        HttpResponse<String> byBasic = post(TOKEN_PATH, "grant_type=client_credentials", Map.of(
                "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "datadog-token:datadog-client-secret".getBytes(StandardCharsets.UTF_8))));
        assertThat(byBasic.statusCode()).as(byBasic.body()).isEqualTo(200);
        JsonNode token = json(byBasic);
        assertThat(token.has("refresh_token")).isFalse();
        assertThat(token.path("token_type").asText()).isEqualTo("bearer");

        HttpResponse<String> ok = post("/alerts", RECORD, headers("datadog-token", token));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(header(readResult(json(ok).path("results").get(0)), "hub_app")).isEqualTo("datadog-monitors");
        assertThat(assertProblem(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, token)), 401).path("detail").asText())
                .contains("another app");

        HttpResponse<String> wrong = post(TOKEN_PATH, "grant_type=client_credentials", Map.of(
                "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "datadog-token:wrong".getBytes(StandardCharsets.UTF_8))));
        assertOAuthError(wrong, 401, "invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));

        editRegistry(text -> text.replace("xkt.ZfgtbNzh.KtZggHgYe1bYUA517JWeGexue5/TM/dYLqcjFtt.",
                "1tCF7zF7sfq.nvCmBqSSau0vbvS3HmEGvjoTTLBkUpWvW6zvNQdAy"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(post("/alerts", RECORD, headers("datadog-token", token)).statusCode()).isEqualTo(401));
    }

    @Test
    void throttlesRepeatedFailuresForOneUsername() {
        for (int i = 0; i < 5; i++) {
            assertOAuthError(requestToken(password(DEMO_APP_TOKEN, "svc-throttled@demo.local", "wrong-" + i)),
                    400, "invalid_grant");
        }
        HttpResponse<String> throttled = requestToken(password(DEMO_APP_TOKEN, "svc-throttled@demo.local",
                "throttled-password"));

        assertOAuthError(throttled, 429, "slow_down");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Long.parseLong(s)).isBetween(1L, 60L));
        assertThat(requestToken(password(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD)).statusCode()).isEqualTo(200);
    }

    // --- ingestion endpoints --------------------------------------------------------------------------------------

    @Test
    void conversationsTakesApptokenAndKeyToo() {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        HttpResponse<String> response = post("/conversations?apptoken=" + enc(DEMO_APP_TOKEN) + "&key="
                + enc(token.path("access_token").asText()), RECORD, Map.of("Content-Type", "application/json"));

        // Authenticated: the refusal that follows is the mapping step's, as the demo source maps no conversations.
        JsonNode problem = assertProblem(response, 422);
        assertThat(problem.path("type").asText()).endsWith("/no-mapping");
        assertThat(problem.path("detail").asText()).contains("demo-servicenow");
    }

    @ParameterizedTest(name = "{0} takes apptoken and key")
    @ValueSource(strings = {"/alerts", "/changes", "/knowledge-articles"})
    void acceptsApptokenAndKeyQueryParameters(String path) {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        HttpResponse<String> response = post(path + "?apptoken=" + enc(DEMO_APP_TOKEN) + "&key="
                + enc(token.path("access_token").asText()) + "&source=webhook", RECORD,
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = readResult(json(response).path("results").get(0));
        assertThat(header(record, "hub_app")).isEqualTo("itsm-assistant");
        assertNoCredentialHeaders(record);
    }

    @ParameterizedTest(name = "{0} takes at with the bearer token in the header")
    @ValueSource(strings = {"/incidents", "/requests", "/requestitems", "/request-items", "/problems"})
    void acceptsAtQueryParameterWithTheBearerHeader(String path) {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        HttpResponse<String> response = post(path + "?at=" + enc(DEMO_APP_TOKEN), RECORD,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token.path("access_token").asText()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertNoCredentialHeaders(readResult(json(response).path("results").get(0)));
    }

    @ParameterizedTest(name = "{0} refuses the bearer token as key")
    @ValueSource(strings = {"/incidents", "/requests", "/requestitems", "/request-items", "/problems"})
    void rejectsBearerInQueryForTheItsmEndpoints(String path) {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        HttpResponse<String> response = post(path + "?at=" + enc(DEMO_APP_TOKEN) + "&key="
                + enc(token.path("access_token").asText()), RECORD, Map.of("Content-Type", "application/json"));

        JsonNode problem = assertProblem(response, 401);
        assertThat(problem.path("detail").asText()).contains("'key'", path, "Authorization header");
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ingest-hub\"");
        assertThat(response.body()).doesNotContain(token.path("access_token").asText(), DEMO_APP_TOKEN);
    }

    @Test
    void refusesTheQueryParametersOfTheOtherFamily() {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);
        String bearer = "Bearer " + token.path("access_token").asText();

        assertThat(assertProblem(post("/alerts?at=" + enc(DEMO_APP_TOKEN), RECORD,
                Map.of("Content-Type", "application/json", "Authorization", bearer)), 401).path("detail").asText())
                .contains("'apptoken'");
        assertThat(assertProblem(post("/incidents?apptoken=" + enc(DEMO_APP_TOKEN), RECORD,
                Map.of("Content-Type", "application/json", "Authorization", bearer)), 401).path("detail").asText())
                .contains("'at'");
    }

    @Test
    void refusesMissingCredentialsWithWwwAuthenticate() {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);

        HttpResponse<String> none = post("/incidents", RECORD, Map.of("Content-Type", "application/json"));
        HttpResponse<String> appOnly = post("/incidents", RECORD, Map.of("Content-Type", "application/json",
                "x-app-token", DEMO_APP_TOKEN));
        HttpResponse<String> bearerOnly = post("/incidents", RECORD, Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + token.path("access_token").asText()));
        HttpResponse<String> basic = post("/incidents", RECORD, Map.of("Content-Type", "application/json",
                "x-app-token", DEMO_APP_TOKEN, "Authorization", "Basic c3ZjOnB3"));

        for (HttpResponse<String> r : new HttpResponse[] {none, appOnly, bearerOnly, basic}) {
            assertProblem(r, 401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer realm=\"ingest-hub\""));
        }
        assertThat(json(appOnly).path("detail").asText()).contains("access token");
        assertThat(json(bearerOnly).path("detail").asText()).contains("app token");
    }

    @Test
    void refusesAnUnknownAppToken() {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);
        assertProblem(post("/alerts", RECORD, headers("not-an-app-token", token)), 401);
    }

    @Test
    void refusesATamperedToken() {
        JsonNode token = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);
        String[] parts = token.path("access_token").asText().split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("itsm-assistant", "jira-bridge");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        HttpResponse<String> response = post("/alerts", RECORD, Map.of("Content-Type", "application/json",
                "x-app-token", "jira-bridge-token", "Authorization", "Bearer " + forged));
        assertThat(assertProblem(response, 401).path("detail").asText()).contains("signature");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("error=\"invalid_token\""));
        assertProblem(post("/alerts", RECORD, Map.of("Content-Type", "application/json",
                "x-app-token", DEMO_APP_TOKEN, "Authorization", "Bearer not.a.jwt")), 401);
    }

    @Test
    void refusesAnExpiredToken() {
        Registry current = registry.current();
        Registry.App app = current.tenant("demo").apps().get("itsm-assistant");
        Registry.ServiceAccount account = current.tenant("demo").serviceAccount(DEMO_USER);
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String expired = new TokenService(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
                Duration.ofDays(1), twoHoursAgo).issue(app, account).accessToken();

        HttpResponse<String> response = post("/alerts", RECORD, Map.of("Content-Type", "application/json",
                "x-app-token", DEMO_APP_TOKEN, "Authorization", "Bearer " + expired));
        assertThat(assertProblem(response, 401).path("detail").asText()).contains("expired");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("error=\"invalid_token\""));
    }

    @Test
    void forbidsATokenOfAnotherAppWithThisAppToken() {
        JsonNode jiraToken = token("jira-bridge-token", DEMO_USER, DEMO_PASSWORD);

        JsonNode problem = assertProblem(post("/alerts", RECORD, headers(DEMO_APP_TOKEN, jiraToken)), 403);
        assertThat(problem.path("detail").asText()).contains("another app");
    }

    @Test
    void servesATenantByItsHostAndForbidsCrossTenantCalls() {
        JsonNode acme = json(requestToken(password("acme-app-token", "svc@acme.local", "acme-password"),
                Map.of("Host", ACME_HOST)));
        assertThat(acme.path("access_token").asText()).isNotBlank();

        Map<String, String> onAcme = new LinkedHashMap<>(headers("acme-app-token", acme));
        onAcme.put("Host", ACME_HOST);
        HttpResponse<String> ok = post("/incidents", RECORD, onAcme);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = readResult(json(ok).path("results").get(0));
        assertThat(record.key()).isEqualTo("acme:acme-jira:auth-1");
        assertThat(header(record, "hub_tenant")).isEqualTo("acme");

        // acme's credentials on the demo host (the default tenant), and demo's on acme's host
        assertThat(assertProblem(post("/incidents", RECORD, headers("acme-app-token", acme)), 403)
                .path("detail").asText()).contains("tenant 'demo'");
        Map<String, String> demoOnAcme = new LinkedHashMap<>(credentials());
        demoOnAcme.put("Content-Type", "application/json");
        demoOnAcme.put("Host", ACME_HOST);
        assertProblem(post("/incidents", RECORD, demoOnAcme), 403);
        // acme's bearer token with demo's app token
        assertProblem(post("/incidents", RECORD, headers(DEMO_APP_TOKEN, acme)), 403);
    }

    @Test
    void rateLimitsAnAppWith429AndRateLimitHeaders() {
        JsonNode token = token("throttled-app-token", DEMO_USER, DEMO_PASSWORD);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = post("/alerts", RECORD, headers("throttled-app-token", token));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        }

        HttpResponse<String> limited = post("/alerts", RECORD, headers("throttled-app-token", token));

        assertThat(assertProblem(limited, 429).path("detail").asText()).contains("rate-limit");
        assertThat(limited.headers().firstValue("RateLimit-Limit")).contains("3");
        assertThat(limited.headers().firstValue("RateLimit-Remaining")).contains("0");
        assertThat(limited.headers().firstValue("RateLimit-Reset")).hasValueSatisfying(
                s -> assertThat(Long.parseLong(s)).isBetween(1L, 60L));
        assertThat(limited.headers().firstValue("Retry-After")).isEqualTo(limited.headers().firstValue("RateLimit-Reset"));
        // other apps are not affected
        assertThat(ingest("/alerts", RECORD).statusCode()).isEqualTo(200);
    }

    // --- registry hot reload --------------------------------------------------------------------------------------

    @Test
    void picksUpAChangedRegistryWithoutRestart() {
        JsonNode bcryptToken = token("jira-bridge-token", "svc-bcrypt@demo.local", "bcrypt-password");
        assertThat(post("/changes", RECORD, headers("jira-bridge-token", bcryptToken)).statusCode()).isEqualTo(200);

        editRegistry(text -> text
                .replace("  acme:\n", "  globex:\n"
                        + "    data-sources:\n"
                        + "      globex-zendesk: { mappings: zendesk }\n"
                        + "    apps:\n"
                        + "      globex-desk: { app-token: \"{noop}globex-app-token\", data-source: globex-zendesk }\n"
                        + "    service-accounts:\n"
                        + "      svc@globex.local: { password: \"{noop}globex-password\" }\n"
                        + "  acme:\n")
                .replace("      svc-bcrypt@demo.local:\n", "      svc-bcrypt@demo.local:\n        enabled: false\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.current().tenant("globex") != null);

        // the disabled account's token stops working
        HttpResponse<String> revoked = post("/changes", RECORD, headers("jira-bridge-token", bcryptToken));
        assertThat(assertProblem(revoked, 401).path("detail").asText()).contains("revoked");
        // the new tenant works, addressed by its host
        JsonNode globex = json(requestToken(password("globex-app-token", "svc@globex.local", "globex-password"),
                Map.of("Host", "globex.api.example.com")));
        Map<String, String> onGlobex = new LinkedHashMap<>(headers("globex-app-token", globex));
        onGlobex.put("Host", "globex.api.example.com");
        HttpResponse<String> ok = post("/conversations", RECORD, onGlobex);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(readResult(json(ok).path("results").get(0)).key()).isEqualTo("globex:globex-zendesk:auth-1");
    }

    @Test
    void keepsThePreviousRegistryWhenTheNewOneIsInvalid(CapturedOutput output) {
        editRegistry(text -> text.replace("data-source: demo-jira", "data-source: no-such-source"));

        assertThat(registry.reload()).isFalse();
        assertThat(registry.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains(REGISTRY_COPY + " line ", "tenants.demo.apps.jira-bridge.data-source", "no-such-source"));
        assertThat(output.getOut()).contains("no-such-source", "Keeping the previous registry");
        assertThat(ingest("/alerts", RECORD).statusCode()).isEqualTo(200);
        assertThat(registry.current().tenant("demo").apps().get("jira-bridge").dataSource().name())
                .isEqualTo("demo-jira");
    }

    // --- secrets --------------------------------------------------------------------------------------------------

    @Test
    void logsNoSecret(CapturedOutput output) {
        JsonNode json = token(DEMO_APP_TOKEN, DEMO_USER, DEMO_PASSWORD);
        JsonNode form = json(post(TOKEN_PATH, form(password("acme-app-token", "svc@acme.local", "acme-password")),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Host", ACME_HOST)));
        JsonNode refreshed = json(requestToken(refresh(DEMO_APP_TOKEN, json)));
        requestToken(refresh(DEMO_APP_TOKEN, json));
        requestToken(password(DEMO_APP_TOKEN, DEMO_USER, "demo-password-typo"));
        post("/alerts?apptoken=" + enc(DEMO_APP_TOKEN) + "&key=" + enc(refreshed.path("access_token").asText()),
                RECORD, Map.of("Content-Type", "application/json"));
        post("/incidents?at=" + enc(DEMO_APP_TOKEN) + "&key=" + enc(json.path("access_token").asText()),
                RECORD, Map.of("Content-Type", "application/json"));
        post("/incidents", RECORD, headers("jira-bridge-token", json));
        post("/incidents", RECORD, headers(DEMO_APP_TOKEN, form));

        String logged = output.getAll();
        assertThat(logged).contains("Issued tokens", "Token request refused");
        for (String secret : new String[] {DEMO_APP_TOKEN, DEMO_PASSWORD, "demo-password-typo", "acme-app-token",
                "acme-password", "jira-bridge-token", TOKEN_SECRET,
                json.path("access_token").asText(), json.path("refresh_token").asText(),
                form.path("access_token").asText(), refreshed.path("access_token").asText(),
                refreshed.path("refresh_token").asText()}) {
            assertThat(logged).doesNotContain(secret);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private JsonNode token(String appToken, String username, String password) {
        HttpResponse<String> response = requestToken(password(appToken, username, password));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static Map<String, String> password(String appToken, String username, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "password");
        p.put("client_id", appToken);
        p.put("username", username);
        p.put("password", password);
        return p;
    }

    private static Map<String, String> refresh(String appToken, JsonNode token) {
        return Map.of("grant_type", "refresh_token", "client_id", appToken,
                "refresh_token", token.path("refresh_token").asText());
    }

    private static Map<String, String> headers(String appToken, JsonNode token) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("x-app-token", appToken);
        h.put("Authorization", "Bearer " + token.path("access_token").asText());
        return h;
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).isNotBlank();
        return body;
    }

    private static void assertNoCredentialHeaders(ConsumerRecord<String, byte[]> record) {
        for (Header h : record.headers()) {
            assertThat(h.key().toLowerCase()).isNotIn("authorization", "x-app-token", "apptoken", "key", "at",
                    "camelhttpquery", "camelhttprawquery");
        }
    }

    private static void editRegistry(java.util.function.UnaryOperator<String> edit) {
        try {
            Path copy = Path.of(REGISTRY_COPY);
            String before = Files.readString(copy);
            String after = edit.apply(before);
            assertThat(after).as("the edit changed the registry").isNotEqualTo(before);
            Files.writeString(copy, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
