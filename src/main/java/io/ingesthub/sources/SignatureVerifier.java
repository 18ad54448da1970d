package io.ingesthub.sources;

import io.ingesthub.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a delivery's raw bytes against its data source's scheme: every presented signature against every live
 * secret, compared with {@link MessageDigest#isEqual} on the raw bytes, before anything parses the body.
 */
public final class SignatureVerifier {

    private static final String STANDARD_WEBHOOKS_KEY_PREFIX = "whsec_";

    private final Clock clock;

    public SignatureVerifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * Verifies one delivery.
     *
     * @param verification the data source's scheme and secrets
     * @param body         the body exactly as received
     * @param headers      the delivery's headers (case-insensitive lookup)
     */
    public Verification verify(SourceVerification verification, byte[] body, Headers headers) {
        Instant now = clock.instant();
        List<SourceSecret> live = verification.secrets().stream().filter(s -> s.liveAt(now)).toList();
        Scheme scheme = verification.scheme();
        if (scheme instanceof Scheme.Hmac hmac) {
            return hmac(hmac, live, body, headers, now);
        }
        if (scheme instanceof Scheme.HeaderToken token) {
            return token(token, live, headers);
        }
        return basic(live, headers);
    }

    private static Verification hmac(Scheme.Hmac scheme, List<SourceSecret> live, byte[] body, Headers headers,
                                     Instant now) {
        String value = headers.get(scheme.header());
        if (value == null || value.isBlank()) {
            return Verification.failed(Verification.Outcome.MISSING_HEADER, "header " + scheme.header() + " is missing");
        }
        List<String> entries = entries(scheme, value);
        String ts = null;
        if (scheme.timestamped()) {
            ts = timestamp(scheme, entries, headers);
            if (ts == null) {
                return scheme.timestampHeader() != null
                        ? Verification.failed(Verification.Outcome.MISSING_HEADER,
                                "header " + scheme.timestampHeader() + " is missing")
                        : Verification.failed(Verification.Outcome.MALFORMED,
                                "header " + scheme.header() + " has no " + scheme.timestampElement() + " entry");
            }
            Verification late = checkTime(scheme, ts, now);
            if (late != null) {
                return late;
            }
        }
        String id = null;
        if (scheme.idHeader() != null) {
            id = headers.get(scheme.idHeader());
            if (id == null || id.isBlank()) {
                return Verification.failed(Verification.Outcome.MISSING_HEADER,
                        "header " + scheme.idHeader() + " is missing");
            }
        }
        List<byte[]> presented = presented(scheme, entries);
        if (presented.isEmpty()) {
            return Verification.failed(Verification.Outcome.MALFORMED, "header " + scheme.header() + " holds no "
                    + (scheme.prefix().isEmpty() ? "" : scheme.prefix() + "… ")
                    + scheme.encoding().name().toLowerCase(Locale.ROOT) + " signature");
        }
        String matched = null;
        for (SourceSecret secret : live) {
            byte[] expected = mac(scheme, secret, id, ts, body);
            for (byte[] candidate : presented) {
                if (MessageDigest.isEqual(expected, candidate) && matched == null) {
                    matched = secret.id();
                }
            }
        }
        return matched != null ? Verification.verified(matched) : noMatch(scheme.header());
    }

    private static List<String> entries(Scheme.Hmac scheme, String value) {
        if (scheme.separator() == null) {
            return List.of(value.trim());
        }
        List<String> out = new ArrayList<>();
        for (String e : value.split(java.util.regex.Pattern.quote(scheme.separator()))) {
            if (!e.isBlank()) {
                out.add(e.trim());
            }
        }
        return out;
    }

    private static String timestamp(Scheme.Hmac scheme, List<String> entries, Headers headers) {
        if (scheme.timestampHeader() != null) {
            String ts = headers.get(scheme.timestampHeader());
            return ts == null || ts.isBlank() ? null : ts.trim();
        }
        for (String e : entries) {
            if (e.startsWith(scheme.timestampElement())) {
                return e.substring(scheme.timestampElement().length());
            }
        }
        return null;
    }

    /** A stale or future timestamp, or a malformed one, as a failure; {@code null} when it is within tolerance. */
    private static Verification checkTime(Scheme.Hmac scheme, String ts, Instant now) {
        Instant signedAt;
        try {
            signedAt = ts.chars().allMatch(Character::isDigit) && ts.length() <= 12
                    ? Instant.ofEpochSecond(Long.parseLong(ts))
                    : Instant.parse(ts);
        } catch (NumberFormatException | DateTimeParseException e) {
            return Verification.failed(Verification.Outcome.MALFORMED,
                    "the signed timestamp is neither Unix seconds nor an RFC 3339 instant");
        }
        Duration age = Duration.between(signedAt, now);
        if (age.compareTo(scheme.tolerance()) > 0) {
            return Verification.failed(Verification.Outcome.STALE, "the signed timestamp is more than "
                    + scheme.tolerance().toSeconds() + " s old");
        }
        if (age.negated().compareTo(scheme.tolerance()) > 0) {
            return Verification.failed(Verification.Outcome.FUTURE, "the signed timestamp is more than "
                    + scheme.tolerance().toSeconds() + " s in the future");
        }
        return null;
    }

    private static List<byte[]> presented(Scheme.Hmac scheme, List<String> entries) {
        List<byte[]> out = new ArrayList<>();
        for (String e : entries) {
            if (!e.startsWith(scheme.prefix())) {
                continue;
            }
            byte[] decoded = decode(scheme.encoding(), e.substring(scheme.prefix().length()).trim());
            if (decoded != null) {
                out.add(decoded);
            }
        }
        return out;
    }

    private static byte[] decode(Scheme.Encoding encoding, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return encoding == Scheme.Encoding.HEX ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] mac(Scheme.Hmac scheme, SourceSecret secret, String id, String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance(scheme.algorithm().jca);
            mac.init(new SecretKeySpec(keyBytes(scheme, secret), scheme.algorithm().jca));
            scheme.signed().update(mac, id, ts, body);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + scheme.algorithm() + " is not available", e);
        }
    }

    /**
     * The HMAC key of a secret under a scheme.
     *
     * @throws IllegalArgumentException when the scheme wants a base64 key and the secret is not one (without
     *                                  quoting it)
     */
    public static byte[] key(Scheme.Hmac scheme, SourceSecret secret) {
        return keyBytes(scheme, secret).clone();
    }

    private static byte[] keyBytes(Scheme.Hmac scheme, SourceSecret secret) {
        if (scheme.keyEncoding() != Scheme.Encoding.BASE64) {
            return secret.value();
        }
        String text = new String(secret.value(), StandardCharsets.UTF_8).trim();
        if (text.startsWith(STANDARD_WEBHOOKS_KEY_PREFIX)) {
            text = text.substring(STANDARD_WEBHOOKS_KEY_PREFIX.length());
        }
        try {
            byte[] key = Base64.getDecoder().decode(text);
            if (key.length == 0) {
                throw new IllegalArgumentException("secret '" + secret.id() + "' is empty after whsec_");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret '" + secret.id() + "' is not base64 (whsec_<base64>)");
        }
    }

    private static Verification basic(List<SourceSecret> live, Headers headers) {
        String value = headers.get("Authorization");
        if (value == null || value.isBlank()) {
            return Verification.failed(Verification.Outcome.MISSING_HEADER, "header Authorization is missing");
        }
        value = value.trim();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Verification.failed(Verification.Outcome.MALFORMED, "header Authorization is not Basic");
        }
        byte[] credentials = decode(Scheme.Encoding.BASE64, value.substring(6).trim());
        if (credentials == null) {
            return Verification.failed(Verification.Outcome.MALFORMED, "header Authorization is not Basic base64");
        }
        return compareDigests(live, credentials, "Authorization");
    }

    private static Verification token(Scheme.HeaderToken scheme, List<SourceSecret> live, Headers headers) {
        String value = headers.get(scheme.header());
        if (value == null || value.isBlank()) {
            return Verification.failed(Verification.Outcome.MISSING_HEADER, "header " + scheme.header() + " is missing");
        }
        if (!value.startsWith(scheme.prefix())) {
            return Verification.failed(Verification.Outcome.MALFORMED,
                    "header " + scheme.header() + " does not start with '" + scheme.prefix() + "'");
        }
        byte[] token = value.substring(scheme.prefix().length()).trim().getBytes(StandardCharsets.UTF_8);
        return compareDigests(live, token, scheme.header());
    }

    /** Compares digests rather than the values, so the time taken says nothing about a secret's length either. */
    private static Verification compareDigests(List<SourceSecret> live, byte[] presented, String header) {
        byte[] digest = Sha256.of(presented);
        String matched = null;
        for (SourceSecret secret : live) {
            if (MessageDigest.isEqual(Sha256.of(secret.value()), digest) && matched == null) {
                matched = secret.id();
            }
        }
        return matched != null ? Verification.verified(matched) : noMatch(header);
    }

    private static Verification noMatch(String header) {
        return Verification.failed(Verification.Outcome.NO_MATCH, "header " + header + " does not match");
    }

}
