package io.ingesthub.tokens;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token settings ({@code hub.tokens.*}): the HS256 signing secret shared by every replica, the issuer and audience of
 * this deployment, token lifetimes, where the local default keeps its generated secret, how many sign-ins run at once
 * and how failed sign-ins are throttled.
 */
@Validated
@ConfigurationProperties("hub.tokens")
public record TokenProperties(
        @Size(min = 32, message = "must be at least 32 characters (HS256 needs a 256-bit key); "
                + "make one with: openssl rand -base64 48") String secret,
        @NotNull @DefaultValue("data/token-secret") Path secretFile,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("3600s") Duration accessTtl,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("14d") Duration refreshTtl,
        @Valid @NotNull @DefaultValue LoginThrottle loginThrottle,
        String issuer,
        String audience,
        @Min(1) @DefaultValue("2") int signInConcurrency) {

    /** The {@code iss} of this hub's tokens: {@code hub.tokens.issuer}, or {@code ingest-hub}. */
    public String issuerOrDefault() {
        return issuer == null || issuer.isBlank() ? TokenService.ISSUER : issuer.trim();
    }

    /**
     * At most {@code maxFailures} failed sign-ins per username and client address within {@code window}; then 429
     * until it passes.
     */
    public record LoginThrottle(
            @Min(1) @DefaultValue("5") int maxFailures,
            @NotNull @DurationMin(seconds = 1) @DefaultValue("1m") Duration window) {}
}
