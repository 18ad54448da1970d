package io.ingesthub.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ingesthub.Sha256;
import io.ingesthub.registry.Registry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Issues and verifies the hub's HS256-signed JWTs — access tokens ({@code typ at+jwt}) and rotating refresh tokens
 * ({@code typ refresh+jwt}) — naming tenant, app, service account and a keyed fingerprint of the account's
 * credentials, so that a changed password or a disabled account invalidates them on every replica.
 */
@Component
public class TokenService {

    static final String ISSUER = "ingest-hub";
    static final JOSEObjectType ACCESS = new JOSEObjectType("at+jwt");
    static final JOSEObjectType REFRESH = new JOSEObjectType("refresh+jwt");
    private static final int MAX_TOKEN_CHARS = 4096;
    static final int MAX_CACHED_ACCESS_TOKENS = 10_000;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final ThreadLocal<Mac> fingerprintMac;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Clock clock;
    private final Map<String, Instant> usedRefreshIds = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedFamilies = new ConcurrentHashMap<>();
    // Claims of verified access tokens by the SHA-256 of the token: a repeated token skips signature and JSON work.
    private final Map<ByteBuffer, Claims> verifiedAccess = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;
    private int maxCachedAccessTokens = MAX_CACHED_ACCESS_TOKENS;

    @Autowired
    public TokenService(TokenProperties properties, Environment environment) {
        this(TokenSecret.resolve(properties, environment.getActiveProfiles().length == 0),
                properties.accessTtl(), properties.refreshTtl(), Clock.systemUTC());
        this.maxCachedAccessTokens = environment.getProperty("hub.tokens.verified-cache-size", Integer.class,
                MAX_CACHED_ACCESS_TOKENS);
    }

    public TokenService(byte[] secret, Duration accessTtl, Duration refreshTtl, Clock clock) {
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("The token secret must be at least 32 bytes for HS256", e);
        }
        byte[] fingerprintKey = hmac(secret, "ingest-hub credential fingerprint");
        this.fingerprintMac = ThreadLocal.withInitial(() -> mac(fingerprintKey));
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    /** A freshly issued pair; {@code expiresIn} is the access token's lifetime in seconds. */
    public record Issued(String accessToken, String refreshToken, long expiresIn) {}

    /** What a verified token says. {@code family} is set for refresh tokens only. */
    public record Claims(String tenant, String app, String account, String fingerprint, String id, String family,
                         Instant expiresAt) {}

    /** Issues a new pair for {@code account} signing in to {@code app}: a new refresh-token family. */
    public Issued issue(Registry.App app, Registry.ServiceAccount account) {
        return issue(app, account, UUID.randomUUID().toString());
    }

    private Issued issue(Registry.App app, Registry.ServiceAccount account, String family) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String fingerprint = fingerprint(account);
        JWTClaimsSet.Builder common = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(account.username())
                .claim("tid", app.tenant())
                .claim("app", app.name())
                .claim("cst", fingerprint)
                .issueTime(Date.from(now));
        String access = sign(ACCESS, common.jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(now.plus(accessTtl))).build());
        String refresh = sign(REFRESH, common.jwtID(UUID.randomUUID().toString()).claim("fam", family)
                .expirationTime(Date.from(now.plus(refreshTtl))).build());
        return new Issued(access, refresh, accessTtl.toSeconds());
    }

    /**
     * Verifies an access token's signature, kind and expiry; the caller checks it against the registry. A token verified
     * before is recognised by its hash until it expires.
     */
    public Claims verifyAccess(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS || maxCachedAccessTokens <= 0) {
            return verify(token, ACCESS, "access token");
        }
        ByteBuffer key = ByteBuffer.wrap(Sha256.of(token.getBytes(StandardCharsets.ISO_8859_1)));
        Claims cached = verifiedAccess.get(key);
        if (cached != null) {
            if (clock.instant().isBefore(cached.expiresAt())) {
                return cached;
            }
            verifiedAccess.remove(key);
        }
        Claims claims = verify(token, ACCESS, "access token");
        if (verifiedAccess.size() >= maxCachedAccessTokens) {
            Instant now = clock.instant();
            verifiedAccess.values().removeIf(c -> !now.isBefore(c.expiresAt()));
            if (verifiedAccess.size() >= maxCachedAccessTokens) {
                verifiedAccess.clear();
            }
        }
        verifiedAccess.put(key, claims);
        return claims;
    }

    int cachedAccessTokens() {
        return verifiedAccess.size();
    }

    /**
     * Verifies a refresh token's signature, kind and expiry, and that it was neither spent nor revoked. A spent token
     * coming back means it leaked: its whole family is revoked.
     */
    public Claims verifyRefresh(String token) {
        Claims claims = verify(token, REFRESH, "refresh token");
        if (claims.family() == null) {
            throw new InvalidTokenException("The refresh token is not valid.");
        }
        if (usedRefreshIds.containsKey(claims.id())) {
            revokedFamilies.put(claims.family(), clock.instant().plus(refreshTtl));
            throw new InvalidTokenException("The refresh token was already used; sign in again with the password grant.");
        }
        if (revokedFamilies.containsKey(claims.family())) {
            throw new InvalidTokenException("The refresh token was already used; sign in again with the password grant.");
        }
        return claims;
    }

    /**
     * Spends a verified refresh token and issues the next pair of its family. If the token was spent before (by a
     * concurrent or replayed call) the whole family is revoked and nothing is issued.
     */
    public Issued rotate(Claims refresh, Registry.App app, Registry.ServiceAccount account) {
        purgeExpired();
        if (usedRefreshIds.putIfAbsent(refresh.id(), refresh.expiresAt()) != null) {
            revokedFamilies.put(refresh.family(), clock.instant().plus(refreshTtl));
            throw new InvalidTokenException("The refresh token was already used; sign in again with the password grant.");
        }
        if (revokedFamilies.containsKey(refresh.family())) {
            throw new InvalidTokenException("The refresh token was already used; sign in again with the password grant.");
        }
        return issue(app, account, refresh.family());
    }

    /** Whether {@code claims} were issued while {@code account} had its current password and enabled flag. */
    public boolean current(Claims claims, Registry.ServiceAccount account) {
        return account.enabled() && MessageDigest.isEqual(
                fingerprint(account).getBytes(StandardCharsets.US_ASCII),
                claims.fingerprint().getBytes(StandardCharsets.US_ASCII));
    }

    private Claims verify(String token, JOSEObjectType type, String what) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("The " + what + " is not a token issued by this hub.");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("The " + what + " is not a well-formed JWT.");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("The " + what + " is not signed with HS256.");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("The " + what + "'s signature is not valid.");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("The " + what + "'s signature is not valid.");
        }
        if (!type.equals(header.getType())) {
            throw new InvalidTokenException("The token is of another kind than the " + what + " expected here.");
        }
        try {
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            if (exp == null || !clock.instant().isBefore(exp.toInstant())) {
                throw new InvalidTokenException("The " + what + " has expired.");
            }
            String tenant = c.getStringClaim("tid");
            String app = c.getStringClaim("app");
            String fingerprint = c.getStringClaim("cst");
            if (!ISSUER.equals(c.getIssuer()) || tenant == null || app == null || c.getSubject() == null
                    || fingerprint == null || c.getJWTID() == null) {
                throw new InvalidTokenException("The " + what + " lacks the claims of this hub's tokens.");
            }
            return new Claims(tenant, app, c.getSubject(), fingerprint, c.getJWTID(), c.getStringClaim("fam"),
                    exp.toInstant());
        } catch (ParseException e) {
            throw new InvalidTokenException("The " + what + " lacks the claims of this hub's tokens.");
        }
    }

    private String sign(JOSEObjectType type, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(type).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
        return jwt.serialize();
    }

    private String fingerprint(Registry.ServiceAccount account) {
        byte[] d = fingerprintMac.get().doFinal(account.credentialState().getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16));
    }

    /** Forgets spent refresh ids and revoked families once their tokens would have expired anyway. */
    private void purgeExpired() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(Duration.ofMinutes(1));
        usedRefreshIds.values().removeIf(exp -> !now.isBefore(exp));
        revokedFamilies.values().removeIf(until -> !now.isBefore(until));
    }

    private static byte[] hmac(byte[] key, String data) {
        return mac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }


    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
