package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code template} rule compiled into literal text and {@code ${field}} references to canonical fields mapped
 * earlier in the same file, yielding nothing when any referenced field has no value.
 */
final class Template {

    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String[] literals;
    private final String[] refs;

    private Template(String[] literals, String[] refs) {
        this.literals = literals;
        this.refs = refs;
    }

    static Template compile(String text) {
        List<String> literals = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        Matcher m = REF.matcher(text);
        int from = 0;
        while (m.find()) {
            literals.add(text.substring(from, m.start()));
            refs.add(m.group(1));
            from = m.end();
        }
        literals.add(text.substring(from));
        String rest = String.join("", literals);
        if (rest.contains("${")) {
            throw new IllegalArgumentException("a reference is written ${field} with a field name of letters, digits"
                    + " and underscores");
        }
        return new Template(literals.toArray(String[]::new), refs.toArray(String[]::new));
    }

    List<String> refs() {
        return List.of(refs);
    }

    String render(JsonNode fields) {
        StringBuilder sb = new StringBuilder(literals[0]);
        for (int i = 0; i < refs.length; i++) {
            JsonNode v = fields.get(refs[i]);
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.isArray()) {
                StringBuilder joined = new StringBuilder();
                v.forEach(e -> joined.append(joined.isEmpty() ? "" : ", ").append(e.asText()));
                sb.append(joined);
            } else {
                sb.append(v.asText());
            }
            sb.append(literals[i + 1]);
        }
        return sb.toString();
    }
}
