package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    /** The pattern {@link #readPlain} reads without a formatter (ServiceNow's date-times). */
    private static final String PLAIN = "yyyy-MM-dd HH:mm:ss";
    private static final long YEAR_1000 = -30610224000L;
    private static final long YEAR_10000 = 253402300800L;

    private final String format;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;
    /** The zone's only offset, or null when it has rules for daylight saving or history. */
    private final ZoneOffset fixed;
    /** True for {@link #PLAIN}, which {@link #readPlain} reads. */
    private final boolean plain;

    private DateTimeReader(String format, DateTimeFormatter pattern, ZoneId zone) {
        this.format = format;
        this.pattern = pattern;
        this.zone = zone;
        this.fixed = zone.getRules().isFixedOffset() ? zone.getRules().getOffset(Instant.EPOCH) : null;
        this.plain = format.equals(PLAIN);
    }

    /** Prepares a reader; throws {@link IllegalArgumentException} naming the bad format or zone. */
    static DateTimeReader of(String format, String zone) {
        ZoneId z;
        try {
            z = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
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
                BigDecimal n = FieldType.decimal(value);
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
            LocalDateTime local = plain ? readPlain(text) : null;
            if (local != null) {
                return fixed != null ? Instant.ofEpochSecond(local.toEpochSecond(fixed)) : local.atZone(zone).toInstant();
            }
            TemporalAccessor t = (pattern != null ? pattern : ISO_LENIENT_OFFSET).parse(text);
            if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                return LocalDateTime.from(t).atOffset(ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)))
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

    /** {@link #write} of {@link #read}: the value in RFC 3339 UTC, or null when it cannot be read. */
    String readRfc3339(JsonNode value) {
        if (plain && ZoneOffset.UTC.equals(fixed) && value.isTextual()) {
            String text = value.textValue().trim();
            if (readPlain(text) != null) {
                // Already what write makes of it, but for the 'T' and the 'Z' (also for years below 1000).
                return text.replace(' ', 'T') + "Z";
            }
        }
        Instant at = read(value);
        return at == null ? null : write(at);
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss} read digit by digit, or null when the text is anything else (including an
     * impossible date), which then goes to the formatter to be read or refused exactly as before.
     */
    private static LocalDateTime readPlain(String t) {
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' ' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second);
    }

    /** The number in {@code t} at {@code from}, or -1 when a character there is not an ASCII digit. */
    private static int digits(String t, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    String format() {
        return format;
    }

    /** RFC 3339 in UTC, with fractional seconds (in groups of three digits) only when there are any. */
    static String write(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (instant.getNano() != 0 || seconds < YEAR_1000 || seconds >= YEAR_10000) {
            return OUT.format(instant);
        }
        // What ISO_INSTANT writes for whole seconds in years 1000 to 9999, without its general machinery.
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] out = "0000-00-00T00:00:00Z".toCharArray();
        put(out, 0, t.getYear(), 4);
        put(out, 5, t.getMonthValue(), 2);
        put(out, 8, t.getDayOfMonth(), 2);
        put(out, 11, t.getHour(), 2);
        put(out, 14, t.getMinute(), 2);
        put(out, 17, t.getSecond(), 2);
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
