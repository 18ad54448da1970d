package io.ingesthub.registry;

import io.ingesthub.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * A secret as the registry stores it — {@code {noop}<plain text>}, {@code {sha256}<hex digest>} or
 * {@code {bcrypt}<hash>} as {@code htpasswd -B} writes it — compared in constant time and never shown.
 */
public final class StoredSecret {

    /** How a secret is stored. */
    public enum Scheme { NOOP, SHA256, BCRYPT }

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}");
    private static final HexFormat HEX = HexFormat.of();

    private final Scheme scheme;
    private final String stored;
    private final byte[] digest;

    private StoredSecret(Scheme scheme, String stored, byte[] digest) {
        this.scheme = scheme;
        this.stored = stored;
        this.digest = digest;
    }

    /**
     * Reads a stored secret. The message of the exception describes what is wrong without quoting the value.
     *
     * @throws IllegalArgumentException when the value has no known scheme or a malformed hash
     */
    public static StoredSecret parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (value.startsWith("{noop}")) {
            String plain = value.substring("{noop}".length());
            if (plain.isEmpty()) {
                throw new IllegalArgumentException("{noop} is followed by nothing");
            }
            return new StoredSecret(Scheme.NOOP, value, sha256(plain));
        }
        if (value.startsWith("{sha256}")) {
            String hex = value.substring("{sha256}".length()).trim();
            if (!HEX64.matcher(hex).matches()) {
                throw new IllegalArgumentException("{sha256} must be followed by 64 hex digits (printf %s 'secret' | sha256sum)");
            }
            return new StoredSecret(Scheme.SHA256, "{sha256}" + hex.toLowerCase(Locale.ROOT), HEX.parseHex(hex));
        }
        if (value.startsWith("{bcrypt}")) {
            String hash = value.substring("{bcrypt}".length()).trim();
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalArgumentException(
                        "{bcrypt} must be followed by a bcrypt hash like $2y$10$... (htpasswd -nbBC 10 \"\" 'secret' | tr -d ':\\n')");
            }
            return new StoredSecret(Scheme.BCRYPT, "{bcrypt}" + hash, null);
        }
        throw new IllegalArgumentException("must start with {noop}, {sha256} or {bcrypt}");
    }

    public Scheme scheme() {
        return scheme;
    }

    /** True for {@code {noop}}: the secret is readable by anyone who reads the registry. */
    public boolean plainText() {
        return scheme == Scheme.NOOP;
    }

    /** The SHA-256 digest of the secret, or {@code null} for bcrypt (whose hashes are salted). */
    byte[] digest() {
        return digest == null ? null : digest.clone();
    }

    /** The stored form, which changes whenever the secret changes; used for credential fingerprints, never shown. */
    String stored() {
        return stored;
    }

    /** Whether {@code presented} is this secret. Constant time for noop and sha256; bcrypt is slow on purpose. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        if (scheme == Scheme.BCRYPT) {
            return BCrypt.checkpw(presented, stored.substring("{bcrypt}".length()));
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    static byte[] sha256(String s) {
        return Sha256.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "{" + scheme.name().toLowerCase(Locale.ROOT) + "}****";
    }
}
