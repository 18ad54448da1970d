package io.ingesthub.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.StoredSecret;
import io.ingesthub.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Issuing and verifying tokens: claims, expiry on an injected clock, tampering, revocation and refresh rotation. */
class TokenServiceTest {

    private static final byte[] SECRET = "unit-test-secret-0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
    private static final Registry.App APP = new Registry.App("demo", "itsm-assistant",
            new Registry.DataSource("demo-servicenow", "servicenow"), null);
    private static final Registry.ServiceAccount ACCOUNT = account("{noop}demo-password", true, "state-1");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final TokenService tokens = new TokenService(SECRET, Duration.ofSeconds(2), Duration.ofMinutes(10), clock);

    @Test
    void issuesAnAccessTokenNamingTenantAppAndAccount() {
        TokenService.Issued issued = tokens.issue(APP, ACCOUNT);

        TokenService.Claims claims = tokens.verifyAccess(issued.accessToken());
        assertThat(issued.expiresIn()).isEqualTo(2);
        assertThat(claims.tenant()).isEqualTo("demo");
        assertThat(claims.app()).isEqualTo("itsm-assistant");
        assertThat(claims.account()).isEqualTo("svc-ingest@demo.local");
        assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2026-01-01T10:00:02Z"));
        assertThat(tokens.current(claims, ACCOUNT)).isTrue();
    }

    @Test
    void verifiesOnAnyReplicaWithTheSameSecret() {
        String access = tokens.issue(APP, ACCOUNT).accessToken();
        TokenService otherReplica = new TokenService(SECRET, Duration.ofSeconds(2), Duration.ofMinutes(10), clock);
        assertThat(otherReplica.verifyAccess(access).app()).isEqualTo("itsm-assistant");

        TokenService otherSecret = new TokenService("another-secret-0123456789abcdefghijklmnop".getBytes(),
                Duration.ofSeconds(2), Duration.ofMinutes(10), clock);
        assertThatThrownBy(() -> otherSecret.verifyAccess(access)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void expiresAfterItsLifetime() {
        String access = tokens.issue(APP, ACCOUNT).accessToken();
        clock.advance(Duration.ofMillis(1999));
        assertThat(tokens.verifyAccess(access)).isNotNull();

        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> tokens.verifyAccess(access)).isInstanceOf(InvalidTokenException.class)
                .hasMessage("The access token has expired.");
    }

    @Test
    void refusesATamperedToken() {
        String[] parts = tokens.issue(APP, ACCOUNT).accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("itsm-assistant", "other-app").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> tokens.verifyAccess(parts[0] + "." + forgedPayload + "." + parts[2]))
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> tokens.verifyAccess(parts[0] + "." + parts[1] + ".AAAA"))
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> tokens.verifyAccess("not-a-jwt")).hasMessageContaining("well-formed");
        assertThatThrownBy(() -> tokens.verifyAccess("")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verifyAccess("x".repeat(5000))).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesAnUnsignedToken() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
        String payload = tokens.issue(APP, ACCOUNT).accessToken().split("\\.")[1];

        assertThatThrownBy(() -> tokens.verifyAccess(header + "." + payload + "."))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesATokenOfTheOtherKind() {
        TokenService.Issued issued = tokens.issue(APP, ACCOUNT);

        assertThatThrownBy(() -> tokens.verifyAccess(issued.refreshToken())).hasMessageContaining("another kind");
        assertThatThrownBy(() -> tokens.verifyRefresh(issued.accessToken())).hasMessageContaining("another kind");
    }

    @Test
    void refusesASignedTokenWithoutTheHubsClaims() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TokenService.ACCESS).build(),
                new JWTClaimsSet.Builder().subject("someone").expirationTime(Date.from(clock.instant().plusSeconds(60)))
                        .build());
        jwt.sign(new MACSigner(SECRET));

        assertThatThrownBy(() -> tokens.verifyAccess(jwt.serialize())).hasMessageContaining("lacks the claims");
    }

    @Test
    void tokensStopWorkingWhenThePasswordChangesOrTheAccountIsDisabled() {
        TokenService.Claims claims = tokens.verifyAccess(tokens.issue(APP, ACCOUNT).accessToken());

        assertThat(tokens.current(claims, account("{noop}demo-password", true, "state-1"))).isTrue();
        assertThat(tokens.current(claims, account("{noop}new-password", true, "state-2"))).isFalse();
        assertThat(tokens.current(claims, account("{noop}demo-password", false, "state-3"))).isFalse();
    }

    @Test
    void aTokenVerifiedBeforeIsStillCheckedAgainstTheAccountsCurrentState() {
        String access = tokens.issue(APP, ACCOUNT).accessToken();
        TokenService.Claims first = tokens.verifyAccess(access);

        TokenService.Claims again = tokens.verifyAccess(access);

        assertThat(again).isEqualTo(first);
        assertThat(tokens.current(again, account("{noop}new-password", true, "state-2"))).isFalse();
    }

    @Test
    void aForgeryOfATokenVerifiedBeforeIsStillRefused() {
        String access = tokens.issue(APP, ACCOUNT).accessToken();
        tokens.verifyAccess(access);
        String[] parts = access.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("itsm-assistant", "other-app").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        assertThatThrownBy(() -> tokens.verifyAccess(forged)).hasMessageContaining("signature");
        assertThatThrownBy(() -> tokens.verifyAccess(access + "x")).hasMessageContaining("signature");
    }

    @Test
    void keepsABoundedNumberOfVerifiedTokens() {
        for (int i = 0; i <= TokenService.MAX_CACHED_ACCESS_TOKENS; i++) {
            tokens.verifyAccess(tokens.issue(APP, ACCOUNT).accessToken());
        }

        assertThat(tokens.cachedAccessTokens()).isBetween(1, TokenService.MAX_CACHED_ACCESS_TOKENS);
    }

    @Test
    void carriesNoReadableTraceOfThePassword() {
        String payload = new String(Base64.getUrlDecoder().decode(
                tokens.issue(APP, ACCOUNT).accessToken().split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).doesNotContain("demo-password", "state-1");
    }

    @Test
    void rotatesRefreshTokensOnceAndRevokesTheFamilyOnReuse() {
        TokenService.Issued first = tokens.issue(APP, ACCOUNT);

        TokenService.Issued second = tokens.rotate(tokens.verifyRefresh(first.refreshToken()), APP, ACCOUNT);
        assertThat(tokens.verifyAccess(second.accessToken()).app()).isEqualTo("itsm-assistant");

        assertThatThrownBy(() -> tokens.verifyRefresh(first.refreshToken())).hasMessageContaining("already used");
        assertThatThrownBy(() -> tokens.verifyRefresh(second.refreshToken())).hasMessageContaining("already used");
        // another sign-in starts a new family, unaffected
        TokenService.Issued other = tokens.issue(APP, ACCOUNT);
        assertThat(tokens.rotate(tokens.verifyRefresh(other.refreshToken()), APP, ACCOUNT)).isNotNull();
    }

    @Test
    void spendsARefreshTokenOnlyOnceUnderARace() {
        TokenService.Issued first = tokens.issue(APP, ACCOUNT);
        TokenService.Claims a = tokens.verifyRefresh(first.refreshToken());
        TokenService.Claims b = tokens.verifyRefresh(first.refreshToken());

        tokens.rotate(a, APP, ACCOUNT);

        assertThatThrownBy(() -> tokens.rotate(b, APP, ACCOUNT)).hasMessageContaining("already used");
    }

    @Test
    void refreshTokensExpire() {
        TokenService.Issued issued = tokens.issue(APP, ACCOUNT);
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> tokens.verifyRefresh(issued.refreshToken())).hasMessage("The refresh token has expired.");
    }

    @Test
    void refusesATokenOfAnotherIssuerOrAudienceSignedWithTheSameSecret() {
        TokenService staging = new TokenService(SECRET, Duration.ofMinutes(1), Duration.ofMinutes(10), clock,
                "ingest-hub", "https://staging.example.com");
        TokenService prod = new TokenService(SECRET, Duration.ofMinutes(1), Duration.ofMinutes(10), clock,
                "ingest-hub", "https://hub.example.com");
        TokenService otherIssuer = new TokenService(SECRET, Duration.ofMinutes(1), Duration.ofMinutes(10), clock,
                "other-hub", "https://hub.example.com");
        String stagingToken = staging.issue(APP, ACCOUNT).accessToken();
        String otherIssuerToken = otherIssuer.issue(APP, ACCOUNT).accessToken();

        assertThat(staging.verifyAccess(stagingToken).app()).isEqualTo("itsm-assistant");
        assertThatThrownBy(() -> prod.verifyAccess(stagingToken)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("another deployment");
        assertThatThrownBy(() -> prod.verifyAccess(otherIssuerToken)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("another deployment");
        assertThatThrownBy(() -> prod.verifyRefresh(staging.issue(APP, ACCOUNT).refreshToken()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("another deployment");
    }

    @Test
    void carriesTheConfiguredIssuerAndAudience() throws Exception {
        TokenService prod = new TokenService(SECRET, Duration.ofMinutes(1), Duration.ofMinutes(10), clock,
                "https://hub.example.com/", "https://hub.example.com");
        JWTClaimsSet claims = SignedJWT.parse(prod.issue(APP, ACCOUNT).accessToken()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://hub.example.com/");
        assertThat(claims.getAudience()).containsExactly("https://hub.example.com");
    }

    @Test
    void revokesTheAccessTokensOfAFamilyWhoseRefreshTokenWasReusedEvenWhenCached() {
        TokenService.Issued first = tokens.issue(APP, ACCOUNT);
        tokens.verifyAccess(first.accessToken());
        TokenService.Issued second = tokens.rotate(tokens.verifyRefresh(first.refreshToken()), APP, ACCOUNT);
        tokens.verifyAccess(second.accessToken());
        TokenService.Issued unrelated = tokens.issue(APP, ACCOUNT);

        assertThatThrownBy(() -> tokens.verifyRefresh(first.refreshToken())).isInstanceOf(InvalidTokenException.class);

        assertThatThrownBy(() -> tokens.verifyAccess(first.accessToken())).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("revoked");
        assertThatThrownBy(() -> tokens.verifyAccess(second.accessToken())).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("revoked");
        assertThat(tokens.verifyAccess(unrelated.accessToken()).app()).isEqualTo("itsm-assistant");
    }

    @Test
    void issuesAClientCredentialsTokenForTheAppAloneThatDiesWithItsClientSecret() {
        Registry.App app = new Registry.App("demo", "datadog", APP.dataSource(), null,
                StoredSecret.parse("{bcrypt}$2y$10$1tCF7zF7sfq.nvCmBqSSau0vbvS3HmEGvjoTTLBkUpWvW6zvNQdAy"));
        TokenService.Issued issued = tokens.issueForClient(app);

        TokenService.Claims claims = tokens.verifyAccess(issued.accessToken());
        assertThat(issued.refreshToken()).isNull();
        assertThat(claims.clientOnly()).isTrue();
        assertThat(claims.account()).isNull();
        assertThat(claims.app()).isEqualTo("datadog");
        assertThat(tokens.current(claims, app)).isTrue();
        Registry.App rotated = new Registry.App("demo", "datadog", APP.dataSource(), null,
                StoredSecret.parse("{bcrypt}$2y$10$TsYLASMkHFtgRdiHOorMDurnQS0w6cuNA9202ElDR4NP/e/GShe46"));
        assertThat(tokens.current(claims, rotated)).isFalse();
        assertThat(tokens.current(claims, new Registry.App("demo", "datadog", APP.dataSource(), null))).isFalse();
        assertThat(tokens.current(tokens.verifyAccess(tokens.issue(APP, ACCOUNT).accessToken()), app)).isFalse();
    }

    private static Registry.ServiceAccount account(String password, boolean enabled, String state) {
        return new Registry.ServiceAccount("demo", "svc-ingest@demo.local", StoredSecret.parse(password), enabled, state);
    }
}
