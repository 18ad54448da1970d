package io.ingesthub.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compiled field rule: where its value comes from (paths, a constant or a template), how it is shaped (parse,
 * split, pattern, transform, values, type, each) and what happens when there is none (default, required).
 */
final class Rule {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    /** Returned, and compared by identity, when a step has recorded an error for the field. */
    private static final JsonNode ERROR = TextNode.valueOf("error");

    /** Text transforms, applied in the order the rule lists them. */
    enum Transform {
        HTML_TO_TEXT("html-to-text"), TRIM("trim"), LOWERCASE("lowercase"), UPPERCASE("uppercase");

        final String yaml;

        Transform(String yaml) {
            this.yaml = yaml;
        }

        static Transform of(String yaml) {
            for (Transform t : values()) {
                if (t.yaml.equals(yaml)) {
                    return t;
                }
            }
            return null;
        }

        String apply(String s) {
            return switch (this) {
                case HTML_TO_TEXT -> HtmlText.of(s);
                case TRIM -> s.strip();
                case LOWERCASE -> s.toLowerCase(Locale.ROOT);
                case UPPERCASE -> s.toUpperCase(Locale.ROOT);
            };
        }
    }

    final String name;
    final RecordPath[] paths;
    final JsonNode constant;
    final Template template;
    final boolean required;
    final JsonNode fallback;
    final boolean parseJson;
    final String split;
    final Pattern pattern;
    final String[] groups;
    final Transform[] transforms;
    final Map<String, JsonNode> values;
    final FieldType type;
    final DateTimeReader dates;
    final Rule[] each;

    private Rule(Builder b) {
        this.name = b.name;
        this.paths = b.paths.toArray(RecordPath[]::new);
        this.constant = b.constant;
        this.template = b.template;
        this.required = b.required;
        this.fallback = b.fallback;
        this.parseJson = b.parseJson;
        this.split = b.split;
        this.pattern = b.pattern;
        this.groups = b.pattern == null ? new String[0] : groupNames(b.pattern.pattern());
        this.transforms = b.transforms.toArray(Transform[]::new);
        this.values = b.values;
        this.type = b.type;
        this.dates = b.dates;
        this.each = b.each == null ? null : b.each.toArray(Rule[]::new);
    }

    static Builder builder(String name) {
        return new Builder(name);
    }

    /** Collects the compiled parts of a rule; a part never set keeps the value of a rule without that key. */
    static final class Builder {
        private final String name;
        private List<RecordPath> paths = List.of();
        private JsonNode constant;
        private Template template;
        private boolean required;
        private JsonNode fallback;
        private boolean parseJson;
        private String split;
        private Pattern pattern;
        private List<Transform> transforms = List.of();
        private Map<String, JsonNode> values;
        private FieldType type = FieldType.STRING;
        private DateTimeReader dates;
        private List<Rule> each;

        private Builder(String name) {
            this.name = name;
        }

        Builder paths(List<RecordPath> paths) {
            this.paths = paths;
            return this;
        }

        Builder constant(JsonNode constant) {
            this.constant = constant;
            return this;
        }

        Builder template(Template template) {
            this.template = template;
            return this;
        }

        Builder required(boolean required) {
            this.required = required;
            return this;
        }

        Builder fallback(JsonNode fallback) {
            this.fallback = fallback;
            return this;
        }

        Builder parseJson(boolean parseJson) {
            this.parseJson = parseJson;
            return this;
        }

        Builder split(String split) {
            this.split = split;
            return this;
        }

        Builder pattern(Pattern pattern) {
            this.pattern = pattern;
            return this;
        }

        Builder transforms(List<Transform> transforms) {
            this.transforms = transforms;
            return this;
        }

        Builder values(Map<String, JsonNode> values) {
            this.values = values;
            return this;
        }

        Builder type(FieldType type) {
            this.type = type;
            return this;
        }

        Builder dates(DateTimeReader dates) {
            this.dates = dates;
            return this;
        }

        Builder each(List<Rule> each) {
            this.each = each;
            return this;
        }

        Rule build() {
            return new Rule(this);
        }
    }

    /** The named groups of {@code regex}, in order. */
    private static String[] groupNames(String regex) {
        List<String> names = new ArrayList<>();
        Matcher g = GROUP.matcher(regex);
        while (g.find()) {
            names.add(g.group(1));
        }
        return names.toArray(String[]::new);
    }

    /** Maps this rule's field of {@code record} into {@code out}; problems go to {@code errors} under {@code label}. */
    void apply(JsonNode record, ObjectNode out, String label, List<FieldError> errors) {
        if (constant != null) {
            out.set(name, constant);
            return;
        }
        List<JsonNode> found = new ArrayList<>(2);
        if (template != null) {
            String text = template.render(out);
            if (text != null) {
                found.add(TextNode.valueOf(text));
            }
        } else {
            for (RecordPath p : paths) {
                p.select(record, found);
            }
        }
        List<JsonNode> shaped = shape(found, label, errors);
        if (shaped == null) {
            return;
        }
        JsonNode value = shaped.isEmpty() ? null : typed(shaped, label, errors);
        if (value == ERROR) {
            return;
        }
        if (value == null) {
            value = fallback;
        } else if (value.isContainerNode() && deeperThan(value, MappingLimits.MAX_VALUE_DEPTH)) {
            errors.add(new FieldError(label, "nested more than " + MappingLimits.MAX_VALUE_DEPTH + " levels deep"));
            return;
        }
        if (value != null) {
            out.set(name, value);
        } else if (required) {
            errors.add(new FieldError(label, "required, but " + source() + " has no value"));
        }
    }

    /**
     * Parse, split, pattern, transforms and value map; null after an error. Empty values are dropped, from
     * {@code found} itself when there is nothing to parse or split.
     */
    private List<JsonNode> shape(List<JsonNode> found, String label, List<FieldError> errors) {
        List<JsonNode> vals = found;
        if (!parseJson && split == null) {
            found.removeIf(Rule::empty);
        } else {
            vals = new ArrayList<>(found.size());
            if (!parseOrSplit(found, vals, label, errors)) {
                return null;
            }
        }
        if (pattern != null) {
            List<JsonNode> matched = new ArrayList<>(vals.size());
            for (JsonNode v : vals) {
                if (v.isTextual()) {
                    if (!match(v.textValue(), matched, label, errors)) {
                        return null;
                    }
                } else {
                    matched.add(v);
                }
                if (matched.size() > MappingLimits.MAX_ARRAY_ELEMENTS) {
                    errors.add(tooMany(label));
                    return null;
                }
            }
            vals = matched;
        }
        if (transforms.length > 0 || values != null) {
            List<JsonNode> mapped = new ArrayList<>(vals.size());
            for (JsonNode v : vals) {
                if (v.isTextual()) {
                    String s = v.textValue();
                    for (Transform t : transforms) {
                        s = t.apply(s);
                    }
                    if (s.isEmpty()) {
                        continue;
                    }
                    v = TextNode.valueOf(s);
                }
                if (values != null && v.isValueNode()) {
                    String key = v.asText();
                    if (values.containsKey(key)) {
                        v = values.get(key);
                        if (v == null) {
                            continue;
                        }
                    } else if (fallback != null) {
                        v = fallback;
                    }
                }
                mapped.add(v);
            }
            vals = mapped;
        }
        return vals;
    }

    /** Parses and splits the non-empty values of {@code found} into {@code vals}; false after an error. */
    private boolean parseOrSplit(List<JsonNode> found, List<JsonNode> vals, String label, List<FieldError> errors) {
        for (JsonNode v : found) {
            if (empty(v)) {
                continue;
            }
            if (parseJson && v.isTextual()) {
                try {
                    v = JSON.readTree(v.textValue());
                } catch (JsonProcessingException e) {
                    errors.add(new FieldError(label, "not JSON inside the string: " + e.getOriginalMessage()));
                    return false;
                }
                if (v == null || v.isNull()) {
                    continue;
                }
            }
            if (split != null && v.isTextual()) {
                splitInto(v.textValue(), vals);
            } else {
                vals.add(v);
            }
            if (vals.size() > MappingLimits.MAX_ARRAY_ELEMENTS) {
                errors.add(tooMany(label));
                return false;
            }
        }
        return true;
    }

    private static boolean empty(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.textValue().isEmpty());
    }

    /** Splits {@code text} into {@code out}, stopping once there are more parts than a list may hold. */
    private void splitInto(String text, List<JsonNode> out) {
        int from = 0;
        while (from <= text.length() && out.size() <= MappingLimits.MAX_ARRAY_ELEMENTS) {
            int at = text.indexOf(split, from);
            int end = at < 0 ? text.length() : at;
            String part = text.substring(from, end).strip();
            if (!part.isEmpty()) {
                out.add(TextNode.valueOf(part));
            }
            if (at < 0) {
                break;
            }
            from = at + split.length();
        }
    }

    /** Adds the matches of {@code text} to {@code out}; false after recording that the match ran over its budget. */
    private boolean match(String text, List<JsonNode> out, String label, List<FieldError> errors) {
        try {
            matchAll(BoundedPatterns.matcher(pattern, text), out);
            return true;
        } catch (BoundedPatterns.Exhausted e) {
            errors.add(new FieldError(label, "the pattern needs more than " + MappingLimits.PATTERN_STEPS_PER_CHAR
                    + " steps a character on this value"));
            return false;
        }
    }

    private void matchAll(Matcher m, List<JsonNode> out) {
        while (out.size() <= MappingLimits.MAX_ARRAY_ELEMENTS && m.find()) {
            if (groups.length > 0) {
                ObjectNode o = NODES.objectNode();
                for (String g : groups) {
                    String s = m.group(g);
                    if (s != null) {
                        o.put(g, s);
                    }
                }
                out.add(o);
            } else {
                String s = m.groupCount() > 0 ? m.group(1) : m.group();
                if (s != null && !s.isEmpty()) {
                    out.add(TextNode.valueOf(s));
                }
            }
        }
    }

    /** The value of the rule's type from the shaped values, or {@link #ERROR} after recording why it failed. */
    private JsonNode typed(List<JsonNode> vals, String label, List<FieldError> errors) {
        List<JsonNode> elements = each != null || type == FieldType.STRING_ARRAY ? flatten(vals) : null;
        if (elements != null && elements.size() > MappingLimits.MAX_ARRAY_ELEMENTS) {
            errors.add(tooMany(label));
            return ERROR;
        }
        if (each != null) {
            ArrayNode arr = NODES.arrayNode();
            int i = 0;
            for (JsonNode element : elements) {
                if (!element.isObject()) {
                    errors.add(new FieldError(label + "[" + i + "]", "expected an object, got " + describe(element)));
                    return ERROR;
                }
                ObjectNode o = NODES.objectNode();
                int before = errors.size();
                // Labelled by field name alone, and prefixed with the element only when there are errors.
                for (Rule r : each) {
                    r.apply(element, o, r.name, errors);
                }
                if (errors.size() > before) {
                    String at = label + "[" + i + "].";
                    for (int e = before; e < errors.size(); e++) {
                        errors.set(e, new FieldError(at + errors.get(e).field(), errors.get(e).message()));
                    }
                    return ERROR;
                }
                arr.add(o);
                i++;
            }
            return arr;
        }
        if (type == FieldType.STRING_ARRAY) {
            ArrayNode arr = NODES.arrayNode();
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode element : elements) {
                if (element.isNull() || (element.isTextual() && element.textValue().isEmpty())) {
                    continue;
                }
                JsonNode c = type.convert(element, dates);
                if (c == null) {
                    errors.add(new FieldError(label, "cannot convert " + describe(element) + " to " + type.yaml()));
                    return ERROR;
                }
                if (seen.add(c)) {
                    arr.add(c);
                }
            }
            return arr;
        }
        JsonNode first = vals.get(0);
        JsonNode c = type.convert(first, dates);
        if (c == null) {
            String why = type == FieldType.DATETIME
                    ? "cannot read " + describe(first) + " as a date-time in format '" + dates.format() + "'"
                    : "cannot convert " + describe(first) + " to " + type.yaml();
            errors.add(new FieldError(label, why));
            return ERROR;
        }
        return c;
    }

    private static FieldError tooMany(String label) {
        return new FieldError(label, "more than " + MappingLimits.MAX_ARRAY_ELEMENTS + " elements");
    }

    /** True when {@code v} nests containers more than {@code levels} deep; looks no deeper than that. */
    private static boolean deeperThan(JsonNode v, int levels) {
        if (!v.isContainerNode()) {
            return false;
        }
        if (levels == 0) {
            return true;
        }
        for (JsonNode child : v) {
            if (deeperThan(child, levels - 1)) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> flatten(List<JsonNode> vals) {
        List<JsonNode> out = new ArrayList<>(vals.size());
        for (JsonNode v : vals) {
            if (v.isArray()) {
                v.forEach(out::add);
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private String source() {
        if (template != null) {
            return "the template";
        }
        StringBuilder sb = new StringBuilder();
        for (RecordPath p : paths) {
            sb.append(sb.isEmpty() ? "" : ", ").append(p.text());
        }
        return sb.toString();
    }

    /** A short description of a value for an error message; never more than a few dozen characters of payload. */
    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        String s = v.asText();
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }
}
