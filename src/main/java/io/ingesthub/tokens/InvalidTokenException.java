package io.ingesthub.tokens;

/** A token that does not authenticate anyone: malformed, wrongly signed, of the wrong kind, expired or revoked. */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
    }
}
