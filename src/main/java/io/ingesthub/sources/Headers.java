package io.ingesthub.sources;

/** A delivery's headers by name; the lookup must ignore case, as HTTP header names do. */
@FunctionalInterface
public interface Headers {

    /** The first value of header {@code name}, or {@code null}. */
    String get(String name);
}
