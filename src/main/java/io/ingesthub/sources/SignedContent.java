package io.ingesthub.sources;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;

/**
 * What a sender signs, as a template over {@code {id}}, {@code {ts}} and {@code {body}}: {@code {body}},
 * {@code {ts}{body}}, {@code v0:{ts}:{body}}, {@code {id}.{ts}.{body}}. The body goes into the MAC as raw bytes.
 */
public final class SignedContent {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(id|ts|body)}");

    private final String template;
    private final List<Object> parts;

    private SignedContent(String template, List<Object> parts) {
        this.template = template;
        this.parts = parts;
    }

    /** @throws IllegalArgumentException when the template does not contain {@code {body}} exactly once */
    public static SignedContent parse(String template) {
        List<Object> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        int bodies = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(template.substring(at, m.start()).getBytes(StandardCharsets.UTF_8));
            }
            Part p = Part.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
            bodies += p == Part.BODY ? 1 : 0;
            parts.add(p);
            at = m.end();
        }
        if (at < template.length()) {
            parts.add(template.substring(at).getBytes(StandardCharsets.UTF_8));
        }
        if (bodies != 1) {
            throw new IllegalArgumentException("must contain {body} exactly once (placeholders: {id}, {ts}, {body})");
        }
        return new SignedContent(template, List.copyOf(parts));
    }

    boolean usesTimestamp() {
        return parts.contains(Part.TS);
    }

    boolean usesId() {
        return parts.contains(Part.ID);
    }

    /** Feeds the signed content into {@code mac}. */
    void update(Mac mac, String id, String ts, byte[] body) {
        for (Object part : parts) {
            if (part instanceof byte[] literal) {
                mac.update(literal);
            } else if (part == Part.BODY) {
                mac.update(body);
            } else {
                mac.update((part == Part.TS ? ts : id).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedContent s && s.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }

    private enum Part { ID, TS, BODY }
}
