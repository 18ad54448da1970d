package io.ingesthub.sources;

/**
 * The outcome of checking one delivery: which secret matched, or why none did. {@code detail} names a header or a
 * reason for the sender's operator, never anything about a secret.
 */
public record Verification(Outcome outcome, String secretId, String detail) {

    /** Verified, or the reason it was not. */
    public enum Outcome {
        VERIFIED, MISSING_HEADER, MALFORMED, STALE, FUTURE, NO_MATCH;

        /** The lower-case label metrics use ({@code no_match}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean verified() {
        return outcome == Outcome.VERIFIED;
    }

    static Verification verified(String secretId) {
        return new Verification(Outcome.VERIFIED, secretId, "verified with secret '" + secretId + "'");
    }

    static Verification failed(Outcome outcome, String detail) {
        return new Verification(outcome, null, detail);
    }
}
