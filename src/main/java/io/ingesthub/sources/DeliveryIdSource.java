package io.ingesthub.sources;

import java.util.Locale;

/** Where a delivery's id is: {@code header:<Name>} or {@code jsonpath:<path>} into the delivery. */
public record DeliveryIdSource(Kind kind, String where) {

    /** A header or a JSONPath. */
    public enum Kind { HEADER, JSONPATH }

    /** @throws IllegalArgumentException naming the expected form */
    public static DeliveryIdSource parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon > 0 && colon < text.length() - 1) {
            String where = text.substring(colon + 1).trim();
            switch (text.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
                case "header":
                    return new DeliveryIdSource(Kind.HEADER, where);
                case "jsonpath":
                    if (where.startsWith("$")) {
                        return new DeliveryIdSource(Kind.JSONPATH, where);
                    }
                    break;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("must be header:<Name> or jsonpath:$.<path>");
    }

    /** The id from the headers, or {@code null} for a JSONPath source (read it from the parsed delivery). */
    public String fromHeaders(Headers headers) {
        if (kind != Kind.HEADER) {
            return null;
        }
        String value = headers.get(where);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + where;
    }
}
