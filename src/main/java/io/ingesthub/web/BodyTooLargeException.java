package io.ingesthub.web;

import java.io.IOException;

/** Thrown while reading a request body that grows past {@code hub.limits.max-body-bytes}. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(String message) {
        super(message);
    }
}
