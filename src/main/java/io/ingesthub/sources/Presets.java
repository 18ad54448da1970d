package io.ingesthub.sources;

import java.time.Duration;
import java.util.List;

/** The senders' signing schemes by name, each spelled out as the generic {@link Scheme.Hmac} shape. */
public final class Presets {

    /** Every name {@link #scheme} knows, {@code hmac} (the shape written out) excepted. */
    public static final List<String> NAMES = List.of(
            "standard-webhooks", "github", "jira", "pagerduty-v3", "zendesk", "slack", "stripe", "basic", "header-token");

    private Presets() {}

    /**
     * The scheme a preset names; {@code tolerance} (or {@code null} for five minutes) applies where it signs a
     * timestamp, {@code header}/{@code prefix} to {@code header-token}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Scheme scheme(String name, Duration tolerance, String header, String prefix) {
        return switch (name) {
            case "standard-webhooks" -> new Scheme.Hmac("webhook-signature", "v1,", Scheme.Encoding.BASE64,
                    Scheme.Algorithm.SHA256, SignedContent.parse("{id}.{ts}.{body}"), " ", "webhook-timestamp", null,
                    "webhook-id", tolerance, Scheme.Encoding.BASE64);
            case "github" -> new Scheme.Hmac("X-Hub-Signature-256", "sha256=", Scheme.Encoding.HEX,
                    Scheme.Algorithm.SHA256, SignedContent.parse("{body}"), null, null, null, null, tolerance, null);
            case "jira" -> new Scheme.Hmac("X-Hub-Signature", "sha256=", Scheme.Encoding.HEX,
                    Scheme.Algorithm.SHA256, SignedContent.parse("{body}"), null, null, null, null, tolerance, null);
            case "pagerduty-v3" -> new Scheme.Hmac("X-PagerDuty-Signature", "v1=", Scheme.Encoding.HEX,
                    Scheme.Algorithm.SHA256, SignedContent.parse("{body}"), ",", null, null, null, tolerance, null);
            case "zendesk" -> new Scheme.Hmac("X-Zendesk-Webhook-Signature", "", Scheme.Encoding.BASE64,
                    Scheme.Algorithm.SHA256, SignedContent.parse("{ts}{body}"), null,
                    "X-Zendesk-Webhook-Signature-Timestamp", null, null, tolerance, null);
            case "slack" -> new Scheme.Hmac("X-Slack-Signature", "v0=", Scheme.Encoding.HEX, Scheme.Algorithm.SHA256,
                    SignedContent.parse("v0:{ts}:{body}"), null, "X-Slack-Request-Timestamp", null, null, tolerance,
                    null);
            case "stripe" -> new Scheme.Hmac("Stripe-Signature", "v1=", Scheme.Encoding.HEX, Scheme.Algorithm.SHA256,
                    SignedContent.parse("{ts}.{body}"), ",", null, "t=", null, tolerance, null);
            case "basic" -> new Scheme.Basic();
            case "header-token" -> new Scheme.HeaderToken(header == null ? "Authorization" : header, prefix);
            default -> throw new IllegalArgumentException("is not a known scheme (known: hmac, "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** Where a preset's sender puts a delivery id that stays the same across retries, or {@code null}. */
    public static DeliveryIdSource deliveryId(String name) {
        return switch (name) {
            case "standard-webhooks" -> DeliveryIdSource.parse("header:webhook-id");
            case "github" -> DeliveryIdSource.parse("header:X-GitHub-Delivery");
            case "jira" -> DeliveryIdSource.parse("header:X-Atlassian-Webhook-Identifier");
            case "pagerduty-v3" -> DeliveryIdSource.parse("jsonpath:$.event.id");
            case "stripe" -> DeliveryIdSource.parse("jsonpath:$.id");
            default -> null;
        };
    }
}
