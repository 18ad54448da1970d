package io.ingesthub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every preset against a delivery signed as its sender signs it. Where the sender publishes an example (GitHub,
 * Slack, Standard Webhooks) the vector is that example; the others were computed with {@code openssl dgst}, as noted
 * on each row, following the sender's documented construction.
 */
class SignatureVerifierTest {

    /** A signed delivery: preset, the secret that signed it, body, headers, and the instant it was signed. */
    record Vector(String preset, String secret, String body, Map<String, String> headers, Instant signedAt,
                  String source) {

        @Override
        public String toString() {
            return preset + " (" + source + ")";
        }

        boolean timestamped() {
            return scheme() instanceof Scheme.Hmac h && h.timestamped();
        }

        Scheme scheme() {
            return Presets.scheme(preset, null, "DD-Webhook-Token", null);
        }

        String signatureHeader() {
            Scheme s = scheme();
            return s instanceof Scheme.Hmac h ? h.header() : s.headers().get(0);
        }

        String wrongSecret() {
            return "standard-webhooks".equals(preset) ? "whsec_d3Jvbmctc2VjcmV0" : "wrong-secret";
        }
    }

    private static final String SLACK_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
            + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRsk"
            + "XaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    static Stream<Vector> vectors() {
        return Stream.of(
                // docs.github.com, "Validating webhook deliveries": the published example.
                new Vector("github", "It's a Secret to Everybody", "Hello, World!",
                        Map.of("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
                        Instant.parse("2025-12-01T10:00:00Z"), "GitHub docs"),
                // api.slack.com, "Verifying requests from Slack": the published example.
                new Vector("slack", "8f742231b10e8888abcd99yyyzzz85a5", SLACK_BODY,
                        Map.of("X-Slack-Request-Timestamp", "1531420618",
                                "X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"),
                        Instant.ofEpochSecond(1531420618), "Slack docs"),
                // standardwebhooks.com specification and its reference libraries: the published test vector.
                new Vector("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "{\"test\": 2432232314}",
                        Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp", "1614265330",
                                "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
                        Instant.ofEpochSecond(1614265330), "Standard Webhooks spec"),
                // Atlassian publishes no vector: printf %s "$body" | openssl dgst -sha256 -hmac 'jira-webhook-secret'
                new Vector("jira", "jira-webhook-secret", "{\"webhookEvent\":\"jira:issue_created\"}",
                        Map.of("X-Hub-Signature", "sha256=f7744f63d07aa0b980e8acbdd239e46b05568a95d1122938bee44a6f9ae979b6"),
                        Instant.parse("2025-12-01T10:00:00Z"), "openssl"),
                // PagerDuty publishes no vector: openssl dgst -sha256 -hmac 'pd-signing-secret'; the first v1= entry
                // is the same body under another secret, as PagerDuty sends while a subscription has two.
                new Vector("pagerduty-v3", "pd-signing-secret",
                        "{\"event\":{\"id\":\"01DEN3GSYH3ZCG7ZVBZE1FJKWZ\",\"event_type\":\"incident.triggered\"}}",
                        Map.of("X-PagerDuty-Signature", "v1=e6aa3e5fc98bdfae8fa46bd1d835c3938fa699848b8effd18bb1aa0fcc63e59d,"
                                + "v1=bf47998d6fb992b13bfa1c9db3a548a0026cbc678fe4b34f26ee3a7ecd0e4486"),
                        Instant.parse("2025-12-01T10:00:00Z"), "openssl"),
                // Zendesk publishes no vector: printf %s "$ts$body" | openssl dgst -sha256 -hmac ... -binary | base64
                new Vector("zendesk", "zendesk-signing-secret", "{\"type\":\"zen:event-type:ticket.created\"}",
                        Map.of("X-Zendesk-Webhook-Signature-Timestamp", "2025-12-01T10:00:00Z",
                                "X-Zendesk-Webhook-Signature", "wut+sME+dWIjpbjkBr4Zno/OBQmfcT6i7xd9YLTHh1Y="),
                        Instant.parse("2025-12-01T10:00:00Z"), "openssl"),
                // Stripe publishes no vector: printf %s "$t.$body" | openssl dgst -sha256 -hmac 'whsec_stripe_test_secret'
                new Vector("stripe", "whsec_stripe_test_secret", "{\"id\":\"evt_1\",\"object\":\"event\"}",
                        Map.of("Stripe-Signature", "t=1764583200,"
                                + "v1=5514c5122f0e5e842bb8ec81d2702625087822ca4133d651181b9a051ef31e66,v0=6ffbb59b2300aae63f27"),
                        Instant.ofEpochSecond(1764583200), "openssl"),
                // printf %s 'datadog:dd-basic-password' | base64
                new Vector("basic", "datadog:dd-basic-password", "{}",
                        Map.of("Authorization", "Basic ZGF0YWRvZzpkZC1iYXNpYy1wYXNzd29yZA=="),
                        Instant.parse("2025-12-01T10:00:00Z"), "preset"),
                new Vector("header-token", "dd-shared-token", "{}", Map.of("DD-Webhook-Token", "dd-shared-token"),
                        Instant.parse("2025-12-01T10:00:00Z"), "custom header"));
    }

    static Stream<Vector> timestampedVectors() {
        return vectors().filter(Vector::timestamped);
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2025-12-01T10:00:00Z"));
    private final SignatureVerifier verifier = new SignatureVerifier(clock);

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void acceptsTheDeliveryAsItsSenderSignsIt(Vector v) {
        Verification result = verify(v, List.of(secret("2026-12", v.secret(), null)), v.body(), v.headers(), v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.VERIFIED);
        assertThat(result.secretId()).isEqualTo("2026-12");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void refusesTheDeliveryUnderAnotherSecretWithoutNamingEither(Vector v) {
        Verification result = verify(v, List.of(secret("2026-12", v.wrongSecret(), null)), v.body(), v.headers(),
                v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.NO_MATCH);
        assertThat(result.secretId()).isNull();
        assertThat(result.toString()).doesNotContain(v.secret(), v.wrongSecret());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void matchesTheSecondSecretWhileRotatingAndSaysWhichMatched(Vector v) {
        Verification result = verify(v, List.of(secret("new", v.wrongSecret(), null), secret("old", v.secret(), null)),
                v.body(), v.headers(), v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.VERIFIED);
        assertThat(result.secretId()).isEqualTo("old");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void ignoresASecretPastItsExpiry(Vector v) {
        Verification result = verify(v, List.of(secret("new", v.wrongSecret(), null),
                secret("old", v.secret(), v.signedAt().minusSeconds(1))), v.body(), v.headers(), v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.NO_MATCH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void refusesATamperedBody(Vector v) {
        if (v.scheme() instanceof Scheme.Hmac) {
            Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body() + " ", v.headers(),
                    v.signedAt());
            assertThat(result.outcome()).isEqualTo(Verification.Outcome.NO_MATCH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void saysWhichHeaderIsMissing(Vector v) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(v.headers());
        headers.remove(v.signatureHeader());

        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(), headers, v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.MISSING_HEADER);
        assertThat(result.detail()).isEqualTo("header " + v.signatureHeader() + " is missing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestampedVectors")
    void refusesATimestampMoreThanFiveMinutesOld(Vector v) {
        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(), v.headers(),
                v.signedAt().plus(Duration.ofMinutes(5)).plusSeconds(1));

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.STALE);
        assertThat(verify(v, List.of(secret("s", v.secret(), null)), v.body(), v.headers(),
                v.signedAt().plus(Duration.ofMinutes(5))).outcome()).isEqualTo(Verification.Outcome.VERIFIED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestampedVectors")
    void refusesATimestampMoreThanFiveMinutesAhead(Vector v) {
        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(), v.headers(),
                v.signedAt().minus(Duration.ofMinutes(5)).minusSeconds(1));

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.FUTURE);
    }

    @Test
    void triesEverySignatureInTheHeader() {
        Vector v = vectors().filter(x -> x.preset().equals("standard-webhooks")).findFirst().orElseThrow();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(v.headers());
        headers.put("webhook-signature", "v1,Ym9ndXMtc2lnbmF0dXJl v2,c29tZXRoaW5nIGVsc2U= " + v.headers().get("webhook-signature"));

        assertThat(verify(v, List.of(secret("s", v.secret(), null)), v.body(), headers, v.signedAt()).verified()).isTrue();
    }

    @Test
    void callsAHeaderWithoutAnySignatureOfTheSchemeMalformed() {
        Vector v = vectors().filter(x -> x.preset().equals("github")).findFirst().orElseThrow();

        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(),
                Map.of("X-Hub-Signature-256", "sha1=not-hex"), v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.MALFORMED);
        assertThat(result.detail()).isEqualTo("header X-Hub-Signature-256 holds no sha256=… hex signature");
    }

    @Test
    void callsAStripeHeaderWithoutItsTimestampMalformed() {
        Vector v = vectors().filter(x -> x.preset().equals("stripe")).findFirst().orElseThrow();

        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(),
                Map.of("Stripe-Signature", "v1=5514c5122f0e5e842bb8ec81d2702625087822ca4133d651181b9a051ef31e66"),
                v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.MALFORMED);
        assertThat(result.detail()).contains("t=");
    }

    @Test
    void saysWhenTheTimestampHeaderIsMissing() {
        Vector v = vectors().filter(x -> x.preset().equals("zendesk")).findFirst().orElseThrow();

        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(),
                Map.of("X-Zendesk-Webhook-Signature", v.headers().get("X-Zendesk-Webhook-Signature")), v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.MISSING_HEADER);
        assertThat(result.detail()).isEqualTo("header X-Zendesk-Webhook-Signature-Timestamp is missing");
    }

    @Test
    void callsAnUnreadableTimestampMalformed() {
        Vector v = vectors().filter(x -> x.preset().equals("slack")).findFirst().orElseThrow();

        Verification result = verify(v, List.of(secret("s", v.secret(), null)), v.body(),
                Map.of("X-Slack-Signature", v.headers().get("X-Slack-Signature"), "X-Slack-Request-Timestamp", "yesterday"),
                v.signedAt());

        assertThat(result.outcome()).isEqualTo(Verification.Outcome.MALFORMED);
    }

    @Test
    void verifiesTheGenericShapeWithSha1AndSha512() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        // printf %s '{"a":1}' | openssl dgst -sha1 -hmac k   and   -sha512
        Scheme sha1 = new Scheme.Hmac("X-Sig", "sha1=", Scheme.Encoding.HEX, Scheme.Algorithm.SHA1,
                SignedContent.parse("{body}"), null, null, null, null, null, null);
        Scheme sha512 = new Scheme.Hmac("X-Sig", "", Scheme.Encoding.HEX, Scheme.Algorithm.SHA512,
                SignedContent.parse("{body}"), null, null, null, null, null, null);
        List<SourceSecret> k = List.of(secret("k", "k", null));

        assertThat(verifier.verify(new SourceVerification("hmac", sha1, k, null), body,
                h(Map.of("X-Sig", "sha1=" + SHA1_OF_A1))).verified()).isTrue();
        assertThat(verifier.verify(new SourceVerification("hmac", sha512, k, null), body,
                h(Map.of("X-Sig", SHA512_OF_A1))).verified()).isTrue();
    }

    @Test
    void refusesAHeaderTokenWithoutItsPrefix() {
        Scheme bearer = Presets.scheme("header-token", null, "Authorization", "Bearer ");
        List<SourceSecret> k = List.of(secret("k", "tok", null));
        SourceVerification sv = new SourceVerification("header-token", bearer, k, null);

        assertThat(verifier.verify(sv, new byte[0], h(Map.of("Authorization", "Bearer tok"))).verified()).isTrue();
        assertThat(verifier.verify(sv, new byte[0], h(Map.of("Authorization", "tok"))).outcome())
                .isEqualTo(Verification.Outcome.MALFORMED);
    }

    @Test
    void neverShowsASecretValue() {
        assertThat(secret("2026-12", "top-secret-value", null).toString()).doesNotContain("top-secret-value")
                .contains("2026-12");
    }

    private static final String SHA1_OF_A1 = "7b4ab6898ab862077e9caf504b39982f2bc41453";
    private static final String SHA512_OF_A1 =
            "f527422686555b6528a2e7f7ec82b2f5452b00303bb286f874e075ba778974a6d81adfff523642fc73b6960f759b92a3bad138be110bf59223e79fd1b5c6825d";

    private Verification verify(Vector v, List<SourceSecret> secrets, String body, Map<String, String> headers,
                                Instant now) {
        clock.advance(Duration.between(clock.instant(), now));
        SourceVerification sv = new SourceVerification(v.preset(), v.scheme(), secrets, Presets.deliveryId(v.preset()));
        return verifier.verify(sv, body.getBytes(StandardCharsets.UTF_8), h(headers));
    }

    private static Headers h(Map<String, String> headers) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        return ci::get;
    }

    private static SourceSecret secret(String id, String value, Instant expires) {
        return new SourceSecret(id, value.getBytes(StandardCharsets.UTF_8), expires);
    }
}
