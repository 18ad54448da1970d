package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Reads one rule's source date-times in its {@code format} ({@code iso}, {@code epoch-millis}, {@code epoch-seconds}
 * or a {@link DateTimeFormatter} pattern) and {@code zone}, both prepared at load, and writes them as RFC 3339 UTC.
 */
final class DateTimeReader {

    static final String ISO = "iso";
    static final String EPOCH_MILLIS = "epoch-millis";
    static final String EPOCH_SECONDS = "epoch-seconds";

    private static final DateTimeFormatter ISO_LENIENT_OFFSET = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private static final DateTimeFormatter OUT = DateTimeFormatter.ISO_INSTANT;

    private final String format;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;

    private DateTimeReader(String format, DateTimeFormatter pattern, ZoneId zone) {
        this.format = format;
        this.pattern = pattern;
        this.zone = zone;
    }

    /** Prepares a reader; throws {@link IllegalArgumentException} naming the bad format or zone. */
    static DateTimeReader of(String format, String zone) {
        ZoneId z;
        try {
            z = zone == null ? java.time.ZoneOffset.UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown zone '" + zone + "'");
        }
        String f = format == null ? ISO : format;
        if (f.equals(ISO) || f.equals(EPOCH_MILLIS) || f.equals(EPOCH_SECONDS)) {
            return new DateTimeReader(f, null, z);
        }
        try {
            // STRICT refuses impossible dates (2025-02-30) instead of moving them; it needs an era for 'yyyy'.
            DateTimeFormatter p = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(f)
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
            return new DateTimeReader(f, p, z);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad date format '" + f + "': " + e.getMessage());
        }
    }

    /** The instant {@code value} names, or null when it cannot be read with this format. */
    Instant read(JsonNode value) {
        try {
            if (format.equals(EPOCH_MILLIS) || format.equals(EPOCH_SECONDS)) {
                BigDecimal n = value.isNumber() ? value.decimalValue()
                        : value.isTextual() ? new BigDecimal(value.textValue().trim()) : null;
                if (n == null) {
                    return null;
                }
                long millis = (format.equals(EPOCH_MILLIS) ? n : n.movePointRight(3)).longValueExact();
                return Instant.ofEpochMilli(millis);
            }
            if (!value.isTextual()) {
                return null;
            }
            String text = value.textValue().trim();
            TemporalAccessor t = (pattern != null ? pattern : ISO_LENIENT_OFFSET).parse(text);
            if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                return LocalDateTime.from(t).atOffset(java.time.ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)))
                        .toInstant();
            }
            if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
                return Instant.from(t);
            }
            if (t.isSupported(ChronoField.HOUR_OF_DAY)) {
                return LocalDateTime.from(t).atZone(zone).toInstant();
            }
            return LocalDate.from(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    String format() {
        return format;
    }

    /** RFC 3339 in UTC, with fractional seconds (in groups of three digits) only when there are any. */
    static String write(Instant instant) {
        return OUT.format(instant);
    }
}
