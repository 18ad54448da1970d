package io.ingesthub;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The hub's one SHA-256: a digest per thread, reset before each use. */
public final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private Sha256() {}

    /** The SHA-256 of {@code bytes}. */
    public static byte[] of(byte[] bytes) {
        MessageDigest d = DIGEST.get();
        d.reset();
        return d.digest(bytes);
    }
}
