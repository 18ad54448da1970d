package io.ingesthub.tokens;

import java.util.Map;

/** An RFC 6749 §5.2 error answer of the token endpoint: status, {@code error} code and a safe description. */
final class OAuthError extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    private OAuthError(int status, String error, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = headers;
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description, Map.of());
    }

    static OAuthError unsupportedGrantType(String description) {
        return new OAuthError(400, "unsupported_grant_type", description, Map.of());
    }

    static OAuthError invalidClient(String description) {
        return invalidClient(description, false);
    }

    /** {@code basic}: the client authenticated by HTTP Basic, so the answer carries its challenge (RFC 6749 §5.2). */
    static OAuthError invalidClient(String description, boolean basic) {
        return new OAuthError(401, "invalid_client", description,
                basic ? Map.of("WWW-Authenticate", "Basic realm=\"ingest-hub\", charset=\"UTF-8\"") : Map.of());
    }

    static OAuthError unauthorizedClient(String description) {
        return new OAuthError(400, "unauthorized_client", description, Map.of());
    }

    /** Every sign-in slot is taken: the bcrypt work is bounded, so the caller retries shortly. */
    static OAuthError busy(long retryAfterSeconds) {
        return new OAuthError(503, "temporarily_unavailable", "Too many sign-ins at once; retry in "
                + retryAfterSeconds + " s.", Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description, Map.of());
    }

    static OAuthError throttled(long retryAfterSeconds) {
        return new OAuthError(429, "slow_down", "Too many failed sign-ins for this username from this address; retry in "
                + retryAfterSeconds + " s.", Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    String description() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }
}
