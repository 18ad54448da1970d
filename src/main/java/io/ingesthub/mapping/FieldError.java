package io.ingesthub.mapping;

/** Why one field of one record could not be mapped: the canonical field name (or {@code $}) and a message. */
public record FieldError(String field, String message) {}
