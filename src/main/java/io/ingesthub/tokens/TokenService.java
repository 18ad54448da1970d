package io.ingesthub.tokens;

import io.ingesthub.LocalDefault;
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
 * ({@code typ refresh+jwt}) of this deployment's issuer and audience — naming tenant, app, service account (none for
 * a client_credentials token) and a keyed fingerprint of the credentials they were issued for, so that a changed
 * password or client secret, or a disabled account, invalidates them on every replica.
 */
@Component
public class TokenService {

    static final String ISSUER = "ingest-hub";
    /** The {@code sub} prefix of a client_credentials token, which names the app and no service account. */
    static final String CLIENT_SUBJECT = "client:";
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
    private final String issuer;
    private final String audience;
    private final Map<String, Instant> usedRefreshIds = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedFamilies = new ConcurrentHashMap<>();
    // Claims of verified access tokens by the SHA-256 of the token: a repeated token skips signature and JSON work.
    private final Map<ByteBuffer, Claims> verifiedAccess = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;
    private int maxCachedAccessTokens = MAX_CACHED_ACCESS_TOKENS;

    @Autowired
    public TokenService(TokenProperties properties, Environment environment) {
        this(TokenSecret.resolve(properties, LocalDefault.active(environment)),
                properties.accessTtl(), properties.refreshTtl(), Clock.systemUTC(),
                properties.issuerOrDefault(), TokenSecret.audience(properties, LocalDefault.active(environment)));
        this.maxCachedAccessTokens = environment.getProperty("hub.tokens.verified-cache-size", Integer.class,
                MAX_CACHED_ACCESS_TOKENS);
    }

    public TokenService(byte[] secret, Duration accessTtl, Duration refreshTtl, Clock clock) {
        this(secret, accessTtl, refreshTtl, clock, ISSUER, ISSUER);
    }

    /** Tokens of {@code issuer} for {@code audience}: verification refuses a token that names another of either. */
    public TokenService(byte[] secret, Duration accessTtl, Duration refreshTtl, Clock clock, String issuer,
                        String audience) {
        this.issuer = issuer;
        this.audience = audience;
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

    /**
     * A freshly issued pair; {@code expiresIn} is the access token's lifetime in seconds. {@code refreshToken} is
     * {@code null} for the client_credentials grant.
     */
    public record Issued(String accessToken, String refreshToken, long expiresIn) {}

    /**
     * What a verified token says. {@code account} is {@code null} for a client_credentials token (then
     * {@code fingerprint} is that of the app's client secret); {@code family} is that of the refresh tokens issued with
     * it ({@code null} for a client_credentials token).
     */
    public record Claims(String tenant, String app, String account, String fingerprint, String id, String family,
                         Instant expiresAt) {

        /** True for a token of the client_credentials grant: the app alone, no service account. */
        public boolean clientOnly() {
            return account == null;
        }
    }

    /** Issues a new pair for {@code account} signing in to {@code app}: a new refresh-token family. */
    public Issued issue(Registry.App app, Registry.ServiceAccount account) {
        return issue(app, account, UUID.randomUUID().toString());
    }

    private Issued issue(Registry.App app, Registry.ServiceAccount account, String family) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String fingerprint = fingerprint(account);
        JWTClaimsSet.Builder common = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(account.username())
                .claim("tid", app.tenant())
                .claim("app", app.name())
                .claim("cst", fingerprint)
                .claim("fam", family)
                .issueTime(Date.from(now));
        String access = sign(ACCESS, common.jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(now.plus(accessTtl))).build());
        String refresh = sign(REFRESH, common.jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(now.plus(refreshTtl))).build());
        return new Issued(access, refresh, accessTtl.toSeconds());
    }

    /**
     * Issues an access token for {@code app} alone (the client_credentials grant), fingerprinting its client secret;
     * no refresh token.
     */
    public Issued issueForClient(Registry.App app) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String access = sign(ACCESS, new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(CLIENT_SUBJECT + app.name())
                .claim("tid", app.tenant())
                .claim("app", app.name())
                .claim("cst", fingerprint(app))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(now.plus(accessTtl))).build());
        return new Issued(access, null, accessTtl.toSeconds());
    }

    /**
     * Verifies an access token's signature, kind and expiry; the caller checks it against the registry. A token verified
     * before is recognised by its hash until it expires.
     */
    public Claims verifyAccess(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS || maxCachedAccessTokens <= 0) {
            return notRevoked(verify(token, ACCESS, "access token"));
        }
        ByteBuffer key = ByteBuffer.wrap(Sha256.of(token.getBytes(StandardCharsets.ISO_8859_1)));
        Claims cached = verifiedAccess.get(key);
        if (cached != null) {
            if (clock.instant().isBefore(cached.expiresAt())) {
                return notRevoked(cached);
            }
            verifiedAccess.remove(key);
        }
        Claims claims = notRevoked(verify(token, ACCESS, "access token"));
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

    /** An access token of a revoked refresh-token family is revoked too (on this replica, which saw the reuse). */
    private Claims notRevoked(Claims claims) {
        if (claims.family() != null && !revokedFamilies.isEmpty() && revokedFamilies.containsKey(claims.family())) {
            throw new InvalidTokenException("The access token was revoked: the refresh token issued with it was "
                    + "used twice. Sign in again with the password grant.");
        }
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

    /** Whether the client_credentials {@code claims} were issued for {@code app}'s current client secret. */
    public boolean current(Claims claims, Registry.App app) {
        return claims.clientOnly() && app.clientSecret() != null && MessageDigest.isEqual(
                fingerprint(app).getBytes(StandardCharsets.US_ASCII),
                claims.fingerprint().getBytes(StandardCharsets.US_ASCII));
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
            if (c.getIssuer() == null || c.getAudience() == null || c.getAudience().isEmpty()) {
                throw new InvalidTokenException("The " + what + " lacks the claims of this hub's tokens.");
            }
            if (!issuer.equals(c.getIssuer()) || !c.getAudience().contains(audience)) {
                throw new InvalidTokenException("The " + what + " was issued by another deployment of the hub "
                        + "(its issuer or audience is not this one's).");
            }
            if (tenant == null || app == null || c.getSubject() == null || fingerprint == null || c.getJWTID() == null) {
                throw new InvalidTokenException("The " + what + " lacks the claims of this hub's tokens.");
            }
            boolean client = c.getSubject().startsWith(CLIENT_SUBJECT);
            if (client && type == REFRESH) {
                throw new InvalidTokenException("The " + what + " lacks the claims of this hub's tokens.");
            }
            return new Claims(tenant, app, client ? null : c.getSubject(), fingerprint, c.getJWTID(),
                    c.getStringClaim("fam"), exp.toInstant());
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
        return fingerprint(account.credentialState());
    }

    private String fingerprint(Registry.App app) {
        return fingerprint("client-secret:" + app.key() + ":" + (app.clientSecret() == null ? "" : app.clientSecret().stored()));
    }

    private String fingerprint(String state) {
        byte[] d = fingerprintMac.get().doFinal(state.getBytes(StandardCharsets.UTF_8));
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
