package io.ingesthub.sources;

import java.time.Instant;

/** One secret of a data source: an id an operator can name, its bytes, and an optional expiry. Never shown. */
public final class SourceSecret {

    private final String id;
    private final byte[] value;
    private final Instant expires;

    public SourceSecret(String id, byte[] value, Instant expires) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a secret needs an id");
        }
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("secret '" + id + "' is empty");
        }
        this.id = id;
        this.value = value.clone();
        this.expires = expires;
    }

    public String id() {
        return id;
    }

    /** When it stops being accepted, or {@code null}. */
    public Instant expires() {
        return expires;
    }

    boolean liveAt(Instant now) {
        return expires == null || now.isBefore(expires);
    }

    byte[] value() {
        return value;
    }

    @Override
    public String toString() {
        return "SourceSecret[" + id + (expires == null ? "" : ", expires " + expires) + ", ****]";
    }
}
