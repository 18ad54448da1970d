package io.ingesthub.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A per-app request budget as the registry writes it: {@code 5/min}, {@code 100/s}, {@code 1000/hour}. */
public record RateLimit(int permits, Duration period) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*([a-z]+)\\s*");

    /** @throws IllegalArgumentException naming the expected form */
    public static RateLimit parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("must look like 5/min (units: s, sec, second, min, minute, h, hour)");
        }
        int permits = Integer.parseInt(m.group(1));
        if (permits < 1) {
            throw new IllegalArgumentException("must allow at least 1 request");
        }
        Duration period = switch (m.group(2)) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hour" -> Duration.ofHours(1);
            default -> throw new IllegalArgumentException("has an unknown unit '" + m.group(2)
                    + "' (units: s, sec, second, min, minute, h, hour)");
        };
        return new RateLimit(permits, period);
    }

    /** The policy as the {@code RateLimit-Policy} header writes it, e.g. {@code 5;w=60}. */
    public String policy() {
        return permits + ";w=" + period.toSeconds();
    }

    @Override
    public String toString() {
        return permits + "/" + period.toSeconds() + "s";
    }
}
