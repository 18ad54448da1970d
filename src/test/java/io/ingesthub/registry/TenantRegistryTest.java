package io.ingesthub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** The registry in service: loaded at start, replaced by a valid change, kept when a change is invalid. */
@ExtendWith(OutputCaptureExtension.class)
class TenantRegistryTest {

    private static final String ONE_TENANT = """
            tenants:
              demo:
                data-sources:
                  ds: { mappings: servicenow }
                apps:
                  app: { app-token: "{noop}first-token", data-source: ds }
            """;

    @TempDir
    Path dir;

    @Test
    void replacesTheRegistryWhenTheFileChanges() throws IOException {
        Path file = write(ONE_TENANT);
        TenantRegistry registry = new TenantRegistry(file, false);
        assertThat(registry.current().appByToken("first-token")).isNotNull();

        assertThat(registry.reload()).as("unchanged").isFalse();
        Files.writeString(file, ONE_TENANT.replace("first-token", "second-token"));

        assertThat(registry.reload()).isTrue();
        assertThat(registry.current().appByToken("first-token")).isNull();
        assertThat(registry.current().appByToken("second-token")).isNotNull();
        assertThat(registry.lastError()).isEmpty();
    }

    @Test
    void keepsThePreviousRegistryWhenTheChangeIsInvalid(CapturedOutput output) throws IOException {
        Path file = write(ONE_TENANT);
        TenantRegistry registry = new TenantRegistry(file, false);
        Registry before = registry.current();

        Files.writeString(file, ONE_TENANT.replace("data-source: ds", "data-source: gone"));

        assertThat(registry.reload()).isFalse();
        assertThat(registry.current()).isSameAs(before);
        assertThat(registry.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains(file + " line 6", "'gone' is not a data source", "Keeping the previous registry"));
        assertThat(output.getOut()).contains("'gone' is not a data source").doesNotContain("first-token");

        Files.delete(file);
        assertThat(registry.reload()).isFalse();
        assertThat(registry.current()).isSameAs(before);
    }

    @Test
    void noticesAChangedFileByPolling() throws IOException {
        Path file = write(ONE_TENANT);
        TenantRegistry registry = new TenantRegistry(new RegistryProperties(file, Duration.ofMillis(50)),
                new MockEnvironment());
        Files.writeString(file, ONE_TENANT.replace("first-token", "polled-token"));

        registry.poll();

        assertThat(registry.current().appByToken("polled-token")).isNotNull();
    }

    @Test
    void warnsOfPlainTextSecretsOnlyOutsideTheLocalDefault(CapturedOutput output) throws IOException {
        Path file = write(ONE_TENANT);

        new TenantRegistry(file, false);
        assertThat(output.getOut()).doesNotContain("{noop}");

        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        new TenantRegistry(new RegistryProperties(file, Duration.ZERO), prod);
        assertThat(output.getOut()).contains("WARN", "tenants.demo.apps.app.app-token is stored as {noop}")
                .doesNotContain("first-token");
    }

    @Test
    void refusesToStartWithoutAValidFile() throws IOException {
        assertThatThrownBy(() -> new TenantRegistry(dir.resolve("missing.yaml"), false))
                .isInstanceOf(RegistryException.class).hasMessageContaining("does not exist");
        Path broken = write("tenants:\n  demo: [\n");
        assertThatThrownBy(() -> new TenantRegistry(broken, false))
                .isInstanceOf(RegistryException.class).hasMessageContaining("not valid YAML");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("tenants.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static final String HASHED = """
            tenants:
              acme:
                data-sources:
                  ds: { mappings: servicenow }
                apps:
                  app: { app-token: "{sha256}6e3469c5a2c6371508ba6a3226827eb6621806bd1846400ecf80081591b56fb8", data-source: ds }
                service-accounts:
                  svc@acme.local: { password: "{bcrypt}$2y$10$TsYLASMkHFtgRdiHOorMDurnQS0w6cuNA9202ElDR4NP/e/GShe46" }
            """;

    @Test
    void refusesToStartWithAPlainTextSecretWhereUnsafeSecretsAreRefused() throws IOException {
        Path file = write(ONE_TENANT);

        assertThatThrownBy(() -> new TenantRegistry(file, true, true))
                .isInstanceOf(io.ingesthub.HubStartupException.class)
                .hasMessageContaining("tenants.demo.apps.app.app-token is stored as {noop} plain text")
                .hasMessageNotContaining("first-token")
                .satisfies(e -> assertThat(((io.ingesthub.HubStartupException) e).action()).contains("{sha256}"));
        assertThat(new TenantRegistry(file, true, false).current().appByToken("first-token")).isNotNull();
    }

    @Test
    void refusesTheDemoCredentialsInAnyHashForm() throws IOException {
        // sha256 of demo-app-token, and bcrypt of demo-password
        Path file = write(HASHED.replace("6e3469c5a2c6371508ba6a3226827eb6621806bd1846400ecf80081591b56fb8",
                        sha256("demo-app-token"))
                .replace("$2y$10$TsYLASMkHFtgRdiHOorMDurnQS0w6cuNA9202ElDR4NP/e/GShe46",
                        org.springframework.security.crypto.bcrypt.BCrypt.hashpw("demo-password",
                                org.springframework.security.crypto.bcrypt.BCrypt.gensalt(4))));

        assertThatThrownBy(() -> new TenantRegistry(file, true, true))
                .isInstanceOf(io.ingesthub.HubStartupException.class)
                .hasMessageContaining("tenants.acme.apps.app.app-token is the demo app token")
                .hasMessageContaining("tenants.acme.service-accounts.svc@acme.local.password is the demo password");
        assertThat(new TenantRegistry(write(HASHED), true, true).current().tenant("acme")).isNotNull();
    }

    @Test
    void refusesAReloadThatBringsAPlainTextSecretWhereUnsafeSecretsAreRefused(CapturedOutput output) throws IOException {
        Path file = write(HASHED);
        TenantRegistry registry = new TenantRegistry(file, true, true);
        Registry before = registry.current();

        Files.writeString(file, HASHED.replace("{ password: \"{bcrypt}$2y$10$TsYLASMkHFtgRdiHOorMDurnQS0w6cuNA9202ElDR4NP/e/GShe46\" }",
                "{ password: \"{noop}s3cret-typed-in\" }"));

        assertThat(registry.reload()).isFalse();
        assertThat(registry.current()).isSameAs(before);
        assertThat(registry.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains("svc@acme.local.password is stored as {noop} plain text", "Keeping the previous registry"));
        assertThat(output.getOut()).contains("stored as {noop} plain text").doesNotContain("s3cret-typed-in");
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
