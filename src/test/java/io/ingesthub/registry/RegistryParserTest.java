package io.ingesthub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the registry: the shipped and test registries load, and every kind of mistake is named with its line. */
class RegistryParserTest {

    private static final String VALID = """
            tenants:
              demo:
                data-sources:
                  demo-servicenow: { mappings: servicenow }
                apps:
                  itsm-assistant:
                    app-token: "{noop}demo-app-token"
                    data-source: demo-servicenow
                    rate-limit: 5/min
                service-accounts:
                  svc-ingest@demo.local:
                    password: "{noop}demo-password"
                    enabled: true
            """;

    @Test
    void loadsTheShippedRegistryWithTheDemoTenant() throws IOException {
        Registry registry = RegistryParser.parse("config/tenants.yaml", Files.readString(Path.of("config/tenants.yaml")));

        Registry.App app = registry.appByToken("demo-app-token");
        assertThat(app.tenant()).isEqualTo("demo");
        assertThat(app.name()).isEqualTo("itsm-assistant");
        assertThat(app.dataSource()).isEqualTo(new Registry.DataSource("demo-servicenow", "servicenow"));
        Registry.ServiceAccount account = registry.tenant("demo").serviceAccount("svc-ingest@demo.local");
        assertThat(account.enabled()).isTrue();
        assertThat(account.password().matches("demo-password")).isTrue();
        assertThat(registry.tenants()).containsOnlyKeys("demo");
    }

    @Test
    void loadsTheTestRegistry() throws IOException {
        String file = "src/test/resources/registry/tenants.yaml";
        Registry registry = RegistryParser.parse(file, Files.readString(Path.of(file)));

        assertThat(registry.tenants()).containsOnlyKeys("demo", "acme");
        assertThat(registry.appByToken("acme-app-token").key()).isEqualTo("acme/acme-portal");
        assertThat(registry.appByToken("throttled-app-token").rateLimit()).isEqualTo(new RateLimit(3, Duration.ofMinutes(1)));
        assertThat(registry.tenant("demo").serviceAccount("svc-disabled@demo.local").enabled()).isFalse();
        assertThat(registry.tenant("demo").serviceAccount("svc-bcrypt@demo.local").password().scheme())
                .isEqualTo(StoredSecret.Scheme.BCRYPT);
    }

    @Test
    void looksAppsUpByTokenOnly() {
        Registry registry = RegistryParser.parse("t.yaml", VALID);
        assertThat(registry.appByToken("demo-app-token")).isNotNull();
        assertThat(registry.appByToken("demo-app-toke")).isNull();
        assertThat(registry.appByToken("")).isNull();
        assertThat(registry.appByToken(null)).isNull();
    }

    @Test
    void warnsOfPlainTextSecretsWithoutQuotingThem() {
        Registry registry = RegistryParser.parse("t.yaml", VALID);
        assertThat(registry.warnings()).hasSize(2);
        assertThat(registry.warnings().get(0)).contains("t.yaml line 7", "itsm-assistant.app-token", "{noop}");
        assertThat(String.join("\n", registry.warnings())).doesNotContain("demo-app-token", "demo-password");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an unknown key                 | rate-limit: 5/min                 | rate-limits: 5/min             | line 9: tenants.demo.apps.itsm-assistant: unknown key 'rate-limits'",
            "an undefined data source       | data-source: demo-servicenow      | data-source: nowhere           | line 8: tenants.demo.apps.itsm-assistant.data-source: 'nowhere' is not a data source of tenant 'demo' (defined: demo-servicenow)",
            "an unknown secret scheme       | \"{noop}demo-password\"           | \"plain-demo-password\"        | line 12: tenants.demo.service-accounts.svc-ingest@demo.local.password: must start with {noop}, {sha256} or {bcrypt}",
            "a bcrypt app token             | \"{noop}demo-app-token\"          | \"{bcrypt}$2y$10$1tCF7zF7sfq.nvCmBqSSau0vbvS3HmEGvjoTTLBkUpWvW6zvNQdAy\" | line 7: tenants.demo.apps.itsm-assistant.app-token: {bcrypt} is not supported for app tokens",
            "a malformed rate limit         | rate-limit: 5/min                 | rate-limit: five per minute    | line 9: tenants.demo.apps.itsm-assistant.rate-limit: 'five per minute' must look like 5/min",
            "an unknown rate unit           | rate-limit: 5/min                 | rate-limit: 5/week             | unknown unit 'week'",
            "a tenant name no host can have | '  demo:'                         | '  Demo_Tenant:'               | line 2: tenants.Demo_Tenant: a tenant name must be a lower-case DNS label",
            "a non-boolean enabled flag     | enabled: true                     | enabled: sometimes             | line 13: tenants.demo.service-accounts.svc-ingest@demo.local.enabled: 'sometimes' is not true or false",
            "a missing password             | 'password: \"{noop}demo-password\"' | 'enabled: true'              | line 12: tenants.demo.service-accounts.svc-ingest@demo.local: 'password' is missing",
            "broken YAML                    | 'apps:'                           | 'apps: ['                      | t.yaml line 7: not valid YAML"})
    void namesTheMistakeAndItsLine(String mistake, String from, String to, String expected) {
        String broken = VALID.replace(from, to);
        assertThat(broken).as("the mistake is in the file").isNotEqualTo(VALID);

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> RegistryParser.parse("t.yaml", broken));

        assertThat(e).as(mistake).isNotNull();
        assertThat(e.getMessage()).contains(expected);
        assertThat(e.getMessage()).doesNotContain("demo-app-token", "demo-password");
    }

    @Test
    void refusesTheSameAppTokenForTwoApps() {
        String twice = VALID.replace("    service-accounts:", ""
                + "      second-app:\n"
                + "        app-token: \"{sha256}05c7cd5c50922870dcfe86ad612a8a32ff0ae65eb6d7894a0b852403fbf25767\"\n"
                + "        data-source: demo-servicenow\n"
                + "    service-accounts:");

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> RegistryParser.parse("t.yaml", twice));

        assertThat(e.getMessage()).contains("line 11: tenants.demo.apps.second-app.app-token: the same app token is "
                + "already used by tenants.demo.apps.itsm-assistant");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String broken = VALID.replace("data-source: demo-servicenow", "data-source: nowhere")
                .replace("enabled: true", "enabled: maybe");

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> RegistryParser.parse("t.yaml", broken));

        assertThat(e.problems()).hasSize(2);
    }

    @Test
    void refusesAFileWithoutTenants() {
        assertThat(catchThrowableOfType(RegistryException.class, () -> RegistryParser.parse("t.yaml", "")).getMessage())
                .contains("empty");
        assertThat(catchThrowableOfType(RegistryException.class, () -> RegistryParser.parse("t.yaml", "tenant: {}\n"))
                .getMessage()).contains("unknown key 'tenant'");
        assertThat(catchThrowableOfType(RegistryException.class, () -> RegistryParser.parse("t.yaml", "tenants: {}\n"))
                .getMessage()).contains("defines no tenant");
    }

    @Test
    void findsTheTenantOfAHost() {
        Registry registry = RegistryParser.parse("t.yaml", VALID);
        assertThat(registry.tenantForHost("demo.api.example.com", "fallback")).isEqualTo("demo");
        assertThat(registry.tenantForHost("DEMO.api.example.com:8443", "fallback")).isEqualTo("demo");
        assertThat(registry.tenantForHost("demo:8080", "fallback")).isEqualTo("demo");
        assertThat(registry.tenantForHost("localhost:8080", "fallback")).isEqualTo("fallback");
        assertThat(registry.tenantForHost("api.demo.example.com", "fallback")).isEqualTo("fallback");
        assertThat(registry.tenantForHost(null, "fallback")).isEqualTo("fallback");
    }

    @ParameterizedTest
    @CsvSource({"5/min, 5, 60", "100/s, 100, 1", "1000 / hour, 1000, 3600", "2/second, 2, 1"})
    void readsRateLimits(String text, int permits, long seconds) {
        assertThat(RateLimit.parse(text)).isEqualTo(new RateLimit(permits, Duration.ofSeconds(seconds)));
    }

    private static final String SOURCES = """
            tenants:
              acme:
                data-sources:
                  acme-jira:
                    mappings: jira
                    source: jira
                    archive: true
                    verify:
                      scheme: jira
                      secrets:
                        - { id: "2026-12", value: "${env:ACME_JIRA_SECRET}" }
                        - { id: "2026-06", value: "${file:/run/secrets/acme-jira-old}", expires: 2026-12-31T00:00:00Z }
                  acme-hooks:
                    mappings: pagerduty
                    source: pagerduty
                    delivery-id: "header:X-Request-Id"
                    verify:
                      scheme: hmac
                      header: X-Signature
                      prefix: "v1="
                      encoding: base64
                      algorithm: sha512
                      signed: "{ts}.{body}"
                      timestamp-header: X-Timestamp
                      tolerance: 120s
                      secrets:
                        - { id: a, value: "${env:ACME_HOOKS_SECRET}" }
                apps:
                  acme-datadog:
                    app-token: "{sha256}05c7cd5c50922870dcfe86ad612a8a32ff0ae65eb6d7894a0b852403fbf25767"
                    data-source: acme-jira
                    client-secret: "{bcrypt}$2y$10$1tCF7zF7sfq.nvCmBqSSau0vbvS3HmEGvjoTTLBkUpWvW6zvNQdAy"
            """;

    /** Resolves references from a map: env names as they are, files by their path. */
    private static RegistryParser.References refs(java.util.Map<String, String> values) {
        return new RegistryParser.References() {
            @Override
            public String env(String name) {
                return values.get(name);
            }

            @Override
            public String file(Path path) throws IOException {
                String v = values.get(path.toString());
                if (v == null) {
                    throw new java.nio.file.NoSuchFileException(path.toString());
                }
                return v;
            }
        };
    }

    private static final java.util.Map<String, String> SECRETS = java.util.Map.of(
            "ACME_JIRA_SECRET", "jira-secret-value", "/run/secrets/acme-jira-old", "old-jira-secret-value\n",
            "ACME_HOOKS_SECRET", "hooks-secret-value");

    @Test
    void readsSourcesTheirVerificationAndTheirSecretReferences() {
        Registry registry = RegistryParser.parse("t.yaml", SOURCES, refs(SECRETS));

        Registry.DataSource jira = registry.tenant("acme").dataSource("acme-jira");
        assertThat(jira.source()).isEqualTo("jira");
        assertThat(jira.archive()).isTrue();
        assertThat(jira.verify().name()).isEqualTo("jira");
        assertThat(jira.verify().scheme()).isEqualTo(io.ingesthub.sources.Presets.scheme("jira", null, null, null));
        assertThat(jira.verify().secrets()).extracting(io.ingesthub.sources.SourceSecret::id).containsExactly("2026-12", "2026-06");
        assertThat(jira.verify().secrets().get(1).expires()).isEqualTo(java.time.Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(jira.deliveryId()).hasToString("header:X-Atlassian-Webhook-Identifier");
        assertThat(jira.toString()).doesNotContain("jira-secret-value", "old-jira-secret-value");

        Registry.DataSource hooks = registry.tenant("acme").dataSource("acme-hooks");
        assertThat(hooks.archive()).isFalse();
        assertThat(hooks.deliveryId()).hasToString("header:X-Request-Id");
        io.ingesthub.sources.Scheme.Hmac hmac = (io.ingesthub.sources.Scheme.Hmac) hooks.verify().scheme();
        assertThat(hmac.header()).isEqualTo("X-Signature");
        assertThat(hmac.encoding()).isEqualTo(io.ingesthub.sources.Scheme.Encoding.BASE64);
        assertThat(hmac.algorithm()).isEqualTo(io.ingesthub.sources.Scheme.Algorithm.SHA512);
        assertThat(hmac.signed()).hasToString("{ts}.{body}");
        assertThat(hmac.tolerance()).isEqualTo(Duration.ofSeconds(120));

        assertThat(registry.appByToken("acme-portal-token")).isNull();
        Registry.App app = registry.tenant("acme").apps().get("acme-datadog");
        assertThat(app.clientSecret().matches("bcrypt-password")).isTrue();
        assertThat(registry.tenant("acme").dataSource("nowhere")).isNull();
    }

    @Test
    void verifiesWithTheSecretsTheReferencesName() {
        Registry registry = RegistryParser.parse("t.yaml", SOURCES, refs(SECRETS));
        io.ingesthub.sources.SourceVerification jira = registry.tenant("acme").dataSource("acme-jira").verify();
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // printf %s '{}' | openssl dgst -sha256 -hmac 'old-jira-secret-value': the file's trailing newline is not part of it
        String sig = "sha256=" + HMAC_OF_EMPTY_OBJECT_WITH_OLD_SECRET;

        io.ingesthub.sources.Verification v = new io.ingesthub.sources.SignatureVerifier(clock)
                .verify(jira, body, name -> name.equalsIgnoreCase("X-Hub-Signature") ? sig : null);

        assertThat(v.secretId()).isEqualTo("2026-06");
    }

    private static final String HMAC_OF_EMPTY_OBJECT_WITH_OLD_SECRET = "872791bb5a9408d142d495f2d56b0306fb5c654b4b927520eef5b0cc3d5f0991";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an inline secret               | \"${env:ACME_JIRA_SECRET}\"      | \"jira-secret-value\"            | t.yaml line 11: tenants.acme.data-sources.acme-jira.verify.secrets[0].value: a secret must be a reference, ${env:NAME} or ${file:/path}, never the value itself",
            "an unset environment variable  | ${env:ACME_JIRA_SECRET}          | ${env:ACME_JIRA_SECRET_TYPO}     | t.yaml line 11: tenants.acme.data-sources.acme-jira.verify.secrets[0].value: environment variable ACME_JIRA_SECRET_TYPO is not set",
            "a missing secret file          | /run/secrets/acme-jira-old       | /run/secrets/acme-jira-gone      | t.yaml line 12: tenants.acme.data-sources.acme-jira.verify.secrets[1].value: file /run/secrets/acme-jira-gone does not exist or cannot be read",
            "an unknown preset              | 'scheme: jira'                   | 'scheme: jira-cloud'             | t.yaml line 9: tenants.acme.data-sources.acme-jira.verify.scheme: 'jira-cloud' is not a known scheme (known: hmac, standard-webhooks, github, jira",
            "three secrets                  | '            - { id: a, value'   | '            - { id: b, value: \"${env:X}\" }\n            - { id: c, value: \"${env:X}\" }\n            - { id: a, value' | t.yaml line 27: tenants.acme.data-sources.acme-hooks.verify.secrets: expected a list of one or two secrets",
            "a repeated secret id           | 'id: \"2026-06\"'                  | 'id: \"2026-12\"'                  | t.yaml line 12: tenants.acme.data-sources.acme-jira.verify.secrets[1].id: '2026-12' is used by another secret",
            "a bad expiry                   | 2026-12-31T00:00:00Z             | end of year                      | t.yaml line 12: tenants.acme.data-sources.acme-jira.verify.secrets[1].expires: 'end of year' is not an RFC 3339 instant",
            "an hmac field on a preset      | '      scheme: jira'             | '      scheme: jira\n          algorithm: sha1' | t.yaml line 10: tenants.acme.data-sources.acme-jira.verify.algorithm: only for scheme hmac, not jira",
            "an unknown algorithm           | 'algorithm: sha512'              | 'algorithm: md5'                 | t.yaml line 22: tenants.acme.data-sources.acme-hooks.verify.algorithm: 'md5' must be sha1, sha256 or sha512",
            "a signed template without body | '\"{ts}.{body}\"'                  | '\"{ts}\"'                         | t.yaml line 23: tenants.acme.data-sources.acme-hooks.verify.signed: '{ts}' must contain {body} exactly once",
            "a timestamp without its header | '          timestamp-header: X-Timestamp\n' | ''                  | t.yaml line 18: tenants.acme.data-sources.acme-hooks.verify.scheme: 'hmac' what is signed uses {ts}, so the scheme needs a timestamp header",
            "a bad delivery id              | header:X-Request-Id              | body:id                          | t.yaml line 16: tenants.acme.data-sources.acme-hooks.delivery-id: 'body:id' must be header:<Name> or jsonpath:$.<path>",
            "a source without verification  | '          scheme: hmac'         | '          schema: hmac'         | t.yaml line 18: tenants.acme.data-sources.acme-hooks.verify: unknown key 'schema'",
            "a bad archive flag             | 'archive: true'                  | 'archive: yes please'            | t.yaml line 7: tenants.acme.data-sources.acme-jira.archive: 'yes please' is not true or false",
            "a plain client secret          | '{bcrypt}$2y$10$1tCF7zF7sfq.nvCmBqSSau0vbvS3HmEGvjoTTLBkUpWvW6zvNQdAy' | 'letmein' | t.yaml line 32: tenants.acme.apps.acme-datadog.client-secret: must start with {noop}, {sha256} or {bcrypt}"})
    void namesTheMistakeInASourceAndItsLine(String mistake, String from, String to, String expected) {
        String broken = SOURCES.replace(from, to.replace("\\n", "\n"));
        assertThat(broken).as("the mistake is in the file").isNotEqualTo(SOURCES);

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> RegistryParser.parse("t.yaml", broken, refs(SECRETS)));

        assertThat(e).as(mistake).isNotNull();
        assertThat(e.getMessage()).contains(expected);
        assertThat(e.getMessage()).doesNotContain("jira-secret-value", "hooks-secret-value", "letmein");
    }

    @Test
    void refusesASourceWithoutVerification() {
        String open = SOURCES.replaceAll("(?s)        archive: true\n        verify:.*?acme-jira-old.*?\n", "");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> RegistryParser.parse("t.yaml", open, refs(SECRETS)));

        assertThat(e.getMessage()).contains("t.yaml line 6: tenants.acme.data-sources.acme-jira: a data source with "
                + "a 'source' needs 'verify:'");
    }

    @Test
    void refusesAStandardWebhooksSecretThatIsNotBase64WithoutQuotingIt() {
        String sw = SOURCES.replace("scheme: jira", "scheme: standard-webhooks");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> RegistryParser.parse("t.yaml", sw, refs(java.util.Map.of("ACME_JIRA_SECRET", "whsec_not base64!",
                        "/run/secrets/acme-jira-old", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "ACME_HOOKS_SECRET", "x"))));

        assertThat(e.getMessage()).contains("t.yaml line 11: tenants.acme.data-sources.acme-jira.verify.secrets[0].value: "
                + "secret '2026-12' is not base64 (whsec_<base64>)").doesNotContain("not base64!");
    }
}
