package io.ingesthub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** The stored secret schemes of the registry, checked against hashes made by the standard tools. */
class StoredSecretTest {

    /** {@code printf %s 'demo-app-token' | sha256sum} */
    private static final String SHA256_OF_DEMO_APP_TOKEN = "05c7cd5c50922870dcfe86ad612a8a32ff0ae65eb6d7894a0b852403fbf25767";
    /** {@code htpasswd -nbBC 10 "" 'bcrypt-password' | tr -d ':\n'} */
    private static final String HTPASSWD_BCRYPT = "$2y$10$1tCF7zF7sfq.nvCmBqSSau0vbvS3HmEGvjoTTLBkUpWvW6zvNQdAy";

    @Test
    void matchesAPlainTextSecret() {
        StoredSecret secret = StoredSecret.parse("{noop}demo-password");
        assertThat(secret.matches("demo-password")).isTrue();
        assertThat(secret.matches("demo-passwor")).isFalse();
        assertThat(secret.matches(null)).isFalse();
        assertThat(secret.plainText()).isTrue();
    }

    @Test
    void matchesAShaDigestMadeBySha256sum() {
        StoredSecret secret = StoredSecret.parse("{sha256}" + SHA256_OF_DEMO_APP_TOKEN);
        assertThat(secret.matches("demo-app-token")).isTrue();
        assertThat(secret.matches("demo-app-token ")).isFalse();
        assertThat(StoredSecret.parse("{sha256}" + SHA256_OF_DEMO_APP_TOKEN.toUpperCase()).matches("demo-app-token"))
                .isTrue();
        assertThat(secret.plainText()).isFalse();
    }

    @Test
    void matchesABcryptHashMadeByHtpasswd() {
        StoredSecret secret = StoredSecret.parse("{bcrypt}" + HTPASSWD_BCRYPT);
        assertThat(secret.matches("bcrypt-password")).isTrue();
        assertThat(secret.matches("bcrypt-passwort")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2a$", "$2b$", "$2y$"})
    void matchesEveryBcryptVariant(String prefix) {
        String hash = prefix + BCrypt.hashpw("s3cret", BCrypt.gensalt(4)).substring(4);
        assertThat(StoredSecret.parse("{bcrypt}" + hash).matches("s3cret")).isTrue();
    }

    @Test
    void refusesMalformedValuesWithoutQuotingThem() {
        assertThatThrownBy(() -> StoredSecret.parse("hunter2-plain")).hasMessageContaining("{noop}, {sha256} or {bcrypt}")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> StoredSecret.parse("{sha256}hunter2")).hasMessageContaining("64 hex digits")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> StoredSecret.parse("{bcrypt}hunter2")).hasMessageContaining("htpasswd")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> StoredSecret.parse("{noop}")).hasMessageContaining("nothing");
        assertThatThrownBy(() -> StoredSecret.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(StoredSecret.parse("{noop}hunter2")).hasToString("{noop}****");
    }
}
