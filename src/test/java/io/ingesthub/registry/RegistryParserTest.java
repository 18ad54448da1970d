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
}
