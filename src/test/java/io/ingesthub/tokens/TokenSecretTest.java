package io.ingesthub.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ingesthub.HubStartupException;
import io.ingesthub.HubStartupFailureAnalyzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.AutoConfigurations;

/** Where the signing secret comes from in the local default and elsewhere, and how a bad one stops the hub. */
class TokenSecretTest {

    @TempDir
    Path dir;

    @Test
    void usesTheConfiguredSecret() {
        String secret = "configured-secret-0123456789abcdefghijklmn";
        assertThat(TokenSecret.resolve(properties(secret, dir.resolve("unused")), false))
                .isEqualTo(secret.getBytes(StandardCharsets.UTF_8));
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void createsAnOwnerOnlySecretFileInTheLocalDefaultAndReusesIt() throws IOException {
        Path file = dir.resolve("data/token-secret");

        byte[] first = TokenSecret.resolve(properties(null, file), true);
        byte[] second = TokenSecret.resolve(properties(null, file), true);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesToStartOutsideTheLocalDefaultWithoutASecret() {
        HubStartupException e = (HubStartupException) org.assertj.core.api.Assertions.catchThrowable(
                () -> TokenSecret.resolve(properties(null, dir.resolve("token-secret")), false));

        FailureAnalysis analysis = new HubStartupFailureAnalyzer().analyze(e);
        assertThat(analysis.getDescription()).contains("hub.tokens.secret is not set");
        assertThat(analysis.getAction()).contains("HUB_TOKENS_SECRET");
        assertThat(dir.resolve("token-secret")).doesNotExist();
    }

    @Test
    void refusesAShortSecretFile() throws IOException {
        Path file = dir.resolve("token-secret");
        Files.writeString(file, "short\n");
        assertThatThrownBy(() -> TokenSecret.resolve(properties(null, file), true))
                .isInstanceOf(HubStartupException.class).hasMessageContaining("shorter than 32");
    }

    @Test
    void refusesAShortConfiguredSecretAtBinding() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Bind.class)
                .withPropertyValues("hub.tokens.secret=too-short")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("at least 32 characters"));
    }

    @Configuration
    @EnableConfigurationProperties(TokenProperties.class)
    static class Bind {}

    @Test
    void refusesOutsideTheLocalDefaultTheTokenSecretPlaceholdersOfTheExampleFiles() throws IOException {
        java.util.List<String> shipped = new java.util.ArrayList<>(
                java.util.List.of("change-me-to-a-long-random-secret-of-at-least-32-bytes"));
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (line.startsWith("HUB_TOKENS_SECRET=")) {
                shipped.add(line.substring("HUB_TOKENS_SECRET=".length()));
            }
        }
        for (String placeholder : shipped) {
            assertThatThrownBy(() -> TokenSecret.resolve(properties(placeholder, dir.resolve("unused")), false))
                    .as("'%s'", placeholder)
                    .isInstanceOf(HubStartupException.class)
                    .satisfies(e -> assertThat(((HubStartupException) e).action()).contains("HUB_TOKENS_SECRET"));
        }
    }

    @Test
    void requiresTheAudienceOutsideTheLocalDefault() {
        TokenProperties none = properties("a-real-secret-0123456789abcdefghijklmnop", dir.resolve("unused"));
        assertThat(TokenSecret.audience(none, true)).isEqualTo("ingest-hub-local");
        assertThatThrownBy(() -> TokenSecret.audience(none, false)).isInstanceOf(HubStartupException.class)
                .satisfies(e -> assertThat(((HubStartupException) e).action()).contains("HUB_TOKENS_AUDIENCE"));
        TokenProperties set = new TokenProperties(none.secret(), none.secretFile(), none.accessTtl(), none.refreshTtl(),
                none.loginThrottle(), null, "https://hub.example.com", 2);
        assertThat(TokenSecret.audience(set, false)).isEqualTo("https://hub.example.com");
    }

    private static TokenProperties properties(String secret, Path file) {
        return new TokenProperties(secret, file, Duration.ofHours(1), Duration.ofDays(14),
                new TokenProperties.LoginThrottle(5, Duration.ofMinutes(1)), null, null, 2);
    }
}
