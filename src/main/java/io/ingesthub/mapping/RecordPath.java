package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSONPath of a mapping rule, compiled when the mapping loads: plain property chains ({@code $.a.b[0]}) walk the
 * Jackson tree directly, anything else (wildcards, filters, deep scans) goes through Jayway JsonPath.
 */
final class RecordPath {

    private static final Configuration JAYWAY = Configuration.builder()
            .jsonProvider(new FiniteNumbersProvider())
            .mappingProvider(new JacksonMappingProvider(new ObjectMapper()))
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    /**
     * Hands filters an infinite or NaN number as its text: Jayway reads every number through {@code BigDecimal},
     * which has no such value, and would fail the whole record instead of not matching the one element.
     */
    private static final class FiniteNumbersProvider extends JacksonJsonNodeJsonProvider {
        FiniteNumbersProvider() {
            super(new ObjectMapper());
        }

        @Override
        public Object unwrap(Object o) {
            if (o instanceof JsonNode n && (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
                return n.asText();
            }
            return super.unwrap(o);
        }
    }

    private static final Pattern SIMPLE = Pattern.compile("\\$((?:\\.[A-Za-z_][A-Za-z0-9_-]*|\\['[^'\\\\]*'\\]|\\[\\d+\\])*)");
    private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\['([^'\\\\]*)'\\]|\\[(\\d+)\\]");

    private final String text;
    /** Property names (String) and array indexes (Integer) of a simple path; null when Jayway evaluates it. */
    private final Object[] steps;
    private final JsonPath jayway;
    private final boolean definite;

    private RecordPath(String text, Object[] steps, JsonPath jayway, boolean definite) {
        this.text = text;
        this.steps = steps;
        this.jayway = jayway;
        this.definite = definite;
    }

    /** Compiles {@code text}; throws {@link IllegalArgumentException} with the parser's reason when it is not JSONPath. */
    static RecordPath compile(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("a JSONPath starts with '$'");
        }
        JsonPath compiled;
        try {
            compiled = JsonPath.compile(text);
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid JSONPath: " + e.getMessage());
        }
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            List<Object> steps = new ArrayList<>();
            Matcher s = SEGMENT.matcher(m.group(1));
            while (s.find()) {
                if (s.group(1) != null) {
                    steps.add(s.group(1));
                } else if (s.group(2) != null) {
                    steps.add(s.group(2));
                } else {
                    steps.add(Integer.valueOf(s.group(3)));
                }
            }
            return new RecordPath(text, steps.toArray(), null, true);
        }
        return new RecordPath(text, null, compiled, compiled.isDefinite());
    }

    String text() {
        return text;
    }

    /** Adds what this path selects in {@code record} to {@code out}; a definite path adds at most one node. */
    void select(JsonNode record, List<JsonNode> out) {
        if (steps != null) {
            JsonNode n = record;
            for (Object step : steps) {
                n = step instanceof String name ? n.get(name) : n.get((Integer) step);
                if (n == null) {
                    return;
                }
            }
            out.add(n);
            return;
        }
        JsonNode result = jayway.read(record, JAYWAY);
        if (result == null) {
            return;
        }
        if (definite) {
            out.add(result);
        } else {
            result.forEach(out::add);
        }
    }
}
