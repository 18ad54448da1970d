package io.ingesthub.tokens;

import io.ingesthub.HubStartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the token signing secret: {@code hub.tokens.secret} when set; otherwise, in the local default only, a random
 * secret kept in {@code hub.tokens.secret-file} (created with owner-only permissions and reused across restarts).
 */
final class TokenSecret {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSecret.class);

    private TokenSecret() {}

    /** The secret's bytes; {@code localDefault} is true when no Spring profile is active. */
    static byte[] resolve(TokenProperties properties, boolean localDefault) {
        if (properties.secret() != null && !properties.secret().isBlank()) {
            if (!localDefault && placeholder(properties.secret())) {
                throw new HubStartupException("hub.tokens.secret is the placeholder of .env.example, not a secret.",
                        "Set HUB_TOKENS_SECRET to a random value, at least 32 characters, the same on every replica, "
                                + "e.g. the output of: openssl rand -base64 48");
            }
            return properties.secret().getBytes(StandardCharsets.UTF_8);
        }
        if (!localDefault) {
            throw new HubStartupException(
                    "hub.tokens.secret is not set. Outside the local default (an active Spring profile) the hub does not "
                            + "generate a token signing secret, because every replica must sign and verify tokens with "
                            + "the same one.",
                    "Set HUB_TOKENS_SECRET (hub.tokens.secret) to the same random value, at least 32 characters, on "
                            + "every replica, e.g. the output of: openssl rand -base64 48");
        }
        return fromFile(properties.secretFile());
    }

    /**
     * The {@code aud} of this hub's tokens: {@code hub.tokens.audience}; the local default falls back to
     * {@code ingest-hub-local}, any other profile requires it, so that deployments sharing a secret refuse each
     * other's tokens.
     */
    static String audience(TokenProperties properties, boolean localDefault) {
        if (properties.audience() != null && !properties.audience().isBlank()) {
            return properties.audience().trim();
        }
        if (localDefault) {
            return "ingest-hub-local";
        }
        throw new HubStartupException(
                "hub.tokens.audience is not set. Outside the local default every deployment names the audience of its "
                        + "tokens, so that one which shares the token secret with another (staging, prod) refuses "
                        + "the other's tokens.",
                "Set HUB_TOKENS_AUDIENCE (hub.tokens.audience) to this deployment's public URL or name, the same on "
                        + "every replica of it, e.g. https://hub.example.com");
    }

    /** Whether {@code secret} is a placeholder that an example file ships (or empty), never a real secret. */
    static boolean placeholder(String secret) {
        return secret == null || secret.isBlank() || secret.toLowerCase(java.util.Locale.ROOT).contains("change-me");
    }

    static byte[] fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] secret = Files.readString(file, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
                if (secret.length < 32) {
                    throw new HubStartupException(file + " holds a token secret shorter than 32 characters.",
                            "Delete " + file + " to have a new one generated, or set hub.tokens.secret.");
                }
                return secret;
            }
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException raced) {
                return fromFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            LOG.info("Generated a token signing secret in {} (local default; set hub.tokens.secret elsewhere)", file);
            return secret.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HubStartupException("Could not read or create the token secret file " + file + ": " + e.getMessage(),
                    "Make its folder writable, point hub.tokens.secret-file elsewhere, or set hub.tokens.secret.");
        }
    }
}
