package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads and strictly validates one mapping file (format in {@code docs/mappings.md}) into a compiled {@link Mapping}:
 * every JSONPath, pattern, date format and template is prepared here, so mapping a record parses nothing.
 */
public final class MappingLoader {

    static final Set<String> TOP_KEYS = Set.of("entity", "match", "fields", "custom");
    static final Set<String> RULE_KEYS = Set.of("path", "required", "default", "constant", "type", "format", "zone",
            "values", "template", "transform", "split", "pattern", "parse", "each");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final CanonicalSchemas schemas;

    public MappingLoader(CanonicalSchemas schemas) {
        this.schemas = schemas;
    }

    /**
     * Compiles {@code yaml}, the text of {@code file} for {@code entity} in mapping set {@code set}.
     *
     * @throws MappingException naming the file, field and problem of the first thing wrong
     */
    public Mapping load(String set, String entity, String file, String yaml) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(file).build())
                    .loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new MappingException(file, null, "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!schemas.knows(entity)) {
            throw new MappingException(file, null, "'" + entity + "' is not an entity of the hub (one of "
                    + CanonicalSchemas.ENTITIES + ")");
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new MappingException(file, null, "expected a map with 'entity' and 'fields'");
        }
        for (Object key : top.keySet()) {
            if (!TOP_KEYS.contains(String.valueOf(key))) {
                throw new MappingException(file, null, "unknown key '" + key + "' (known: entity, match, fields, custom)");
            }
        }
        if (!entity.equals(top.get("entity"))) {
            throw new MappingException(file, null, "'entity: " + top.get("entity") + "' does not match the file name;"
                    + " expected 'entity: " + entity + "'");
        }
        Context ctx = new Context(file, entity);
        List<Mapping.Condition> match = conditions(ctx, top.get("match"));
        if (!(top.get("fields") instanceof Map<?, ?> fields) || fields.isEmpty()) {
            throw new MappingException(file, null, "'fields' must be a map of canonical field to rule");
        }
        if (!fields.containsKey("id")) {
            throw new MappingException(file, "id", "every mapping maps 'id'");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> mapped = new HashSet<>();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (CanonicalSchemas.HUB_FIELDS.contains(name)) {
                throw new MappingException(file, name, "set by the hub; a mapping cannot set it");
            }
            JsonNode schema = schemas.field(entity, name);
            if (schema.isMissingNode()) {
                throw new MappingException(file, name, "not a canonical field of " + entity
                        + "; map source-specific fields under 'custom'");
            }
            Rule rule = rule(ctx, name, name, e.getValue(), mapped, schema);
            rules.add(rule);
            mapped.add(name);
        }
        List<Rule> custom = new ArrayList<>();
        Object customYaml = top.get("custom");
        if (customYaml != null) {
            if (!(customYaml instanceof Map<?, ?> customs)) {
                throw new MappingException(file, "custom", "must be a map of field name to rule");
            }
            for (Map.Entry<?, ?> e : customs.entrySet()) {
                String name = String.valueOf(e.getKey());
                custom.add(rule(ctx, name, "custom." + name, e.getValue(), mapped, null));
            }
        }
        return new Mapping(set, entity, file, match, List.copyOf(rules), List.copyOf(custom));
    }

    private record Context(String file, String entity) {}

    private List<Mapping.Condition> conditions(Context ctx, Object yaml) {
        if (yaml == null) {
            return List.of();
        }
        if (!(yaml instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new MappingException(ctx.file(), null, "'match' must be a map of JSONPath to accepted value(s)");
        }
        List<Mapping.Condition> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            RecordPath path = path(ctx, "match", String.valueOf(e.getKey()));
            List<String> accepted = new ArrayList<>();
            if (e.getValue() instanceof List<?> list) {
                list.forEach(v -> accepted.add(scalar(ctx, "match", v)));
            } else {
                accepted.add(scalar(ctx, "match", e.getValue()));
            }
            out.add(new Mapping.Condition(path, List.copyOf(accepted)));
        }
        return List.copyOf(out);
    }

    private static String scalar(Context ctx, String field, Object v) {
        if (v == null || v instanceof Map || v instanceof List) {
            throw new MappingException(ctx.file(), field, "expected a text, number or boolean, got " + describe(v));
        }
        return String.valueOf(v);
    }

    /**
     * Compiles the rule of field {@code name} ({@code label} in messages); {@code schema} is the field's canonical
     * schema (null under custom), {@code mapped} the fields mapped before it (for templates).
     */
    private Rule rule(Context ctx, String name, String label, Object yaml, Set<String> mapped, JsonNode schema) {
        if (!NAME.matcher(name).matches()) {
            throw new MappingException(ctx.file(), label, "a field name is letters, digits and underscores");
        }
        Keys r = new Keys(ctx.file(), label, keys(ctx, label, yaml));
        int sources = (r.has("path") ? 1 : 0) + (r.has("constant") ? 1 : 0) + (r.has("template") ? 1 : 0);
        if (sources != 1) {
            throw r.error("needs exactly one of 'path', 'constant' or 'template'");
        }
        List<RecordPath> paths = paths(ctx, r);
        FieldType type = type(r);
        DateTimeReader dates = dates(r, type);
        boolean hasEach = r.has("each");
        if (schema != null) {
            checkAgainstSchema(ctx, label, schema, hasEach ? null : type);
        }
        return Rule.builder(name)
                .paths(paths)
                .required(required(r))
                .template(template(r, mapped))
                .parseJson(parse(r))
                .split(split(r))
                .pattern(pattern(r))
                .transforms(transforms(r))
                .values(values(ctx, r))
                .type(type)
                .dates(dates)
                .each(each(ctx, r, schema))
                .constant(r.has("constant") ? typedLiteral(ctx, label, "constant", r.get("constant"), type, dates) : null)
                .fallback(r.has("default") ? typedLiteral(ctx, label, "default", r.get("default"),
                        hasEach ? FieldType.OBJECT : type, dates) : null)
                .build();
    }

    /** The keys of one rule, with the file and label its errors name. */
    private record Keys(String file, String label, Map<String, Object> map) {
        boolean has(String key) {
            return map.containsKey(key);
        }

        Object get(String key) {
            return map.get(key);
        }

        String text(String key) {
            if (!(map.get(key) instanceof String s)) {
                throw error("'" + key + "' must be a text, got " + describe(map.get(key)));
            }
            return s;
        }

        MappingException error(String message) {
            return new MappingException(file, label, message);
        }
    }

    /** The rule as a key map: a shorthand string is its {@code path}; an unknown key is an error. */
    private static Map<String, Object> keys(Context ctx, String label, Object yaml) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (yaml instanceof String shorthand) {
            r.put("path", shorthand);
        } else if (yaml instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!RULE_KEYS.contains(key)) {
                    throw new MappingException(ctx.file(), label, "unknown key '" + key + "' (known: "
                            + String.join(", ", RULE_KEYS.stream().sorted().toList()) + ")");
                }
                r.put(key, e.getValue());
            }
        } else {
            throw new MappingException(ctx.file(), label, "expected a JSONPath string or a rule map, got " + describe(yaml));
        }
        return r;
    }

    private static List<RecordPath> paths(Context ctx, Keys r) {
        if (!r.has("path")) {
            return List.of();
        }
        Object p = r.get("path");
        List<RecordPath> compiled = new ArrayList<>();
        if (p instanceof List<?> list && !list.isEmpty()) {
            for (Object each : list) {
                compiled.add(path(ctx, r.label(), each));
            }
        } else {
            compiled.add(path(ctx, r.label(), p));
        }
        return List.copyOf(compiled);
    }

    /** The rule's {@code type}, checked against the keys that need or forbid one. */
    private static FieldType type(Keys r) {
        String typeName = r.has("type") ? r.text("type") : null;
        FieldType type = typeName == null ? FieldType.STRING : FieldType.of(typeName);
        if (type == null) {
            throw r.error("unknown type '" + typeName
                    + "' (known: string, integer, number, boolean, datetime, string[], object)");
        }
        if (r.has("each") && typeName != null) {
            throw r.error("'each' makes an array of objects; drop 'type'");
        }
        if (r.has("each") && !r.has("path")) {
            throw r.error("'each' needs a 'path' to the array");
        }
        if ((r.has("format") || r.has("zone")) && type != FieldType.DATETIME) {
            throw r.error("'format' and 'zone' need 'type: datetime'");
        }
        return type;
    }

    private static DateTimeReader dates(Keys r, FieldType type) {
        if (type != FieldType.DATETIME) {
            return null;
        }
        try {
            return DateTimeReader.of(r.has("format") ? r.text("format") : null, r.has("zone") ? r.text("zone") : null);
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
    }

    private static boolean required(Keys r) {
        if (!r.has("required")) {
            return false;
        }
        if (!(r.get("required") instanceof Boolean b)) {
            throw r.error("'required' is true or false");
        }
        return b;
    }

    private static Template template(Keys r, Set<String> mapped) {
        if (!r.has("template")) {
            return null;
        }
        Template template;
        try {
            template = Template.compile(r.text("template"));
        } catch (IllegalArgumentException e) {
            throw r.error("bad template: " + e.getMessage());
        }
        for (String ref : template.refs()) {
            if (!mapped.contains(ref)) {
                throw r.error("the template refers to '" + ref + "', which is not mapped before this field");
            }
        }
        return template;
    }

    private static boolean parse(Keys r) {
        if (!r.has("parse")) {
            return false;
        }
        if (!"json".equals(r.get("parse"))) {
            throw r.error("'parse' takes only 'json'");
        }
        return true;
    }

    private static String split(Keys r) {
        if (!r.has("split")) {
            return null;
        }
        String split = r.text("split");
        if (split.isEmpty()) {
            throw r.error("'split' needs a separator");
        }
        return split;
    }

    private static Pattern pattern(Keys r) {
        if (!r.has("pattern")) {
            return null;
        }
        String regex = r.text("pattern");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw r.error("bad pattern: " + e.getDescription() + " near index " + e.getIndex());
        }
        String unbounded = BoundedPatterns.problem(regex);
        if (unbounded != null) {
            throw r.error("pattern not allowed: " + unbounded);
        }
        return pattern;
    }

    private static List<Rule.Transform> transforms(Keys r) {
        if (!r.has("transform")) {
            return List.of();
        }
        List<Rule.Transform> transforms = new ArrayList<>();
        Object t = r.get("transform");
        for (Object one : t instanceof List<?> list ? list : List.of(t)) {
            Rule.Transform tr = one instanceof String s ? Rule.Transform.of(s) : null;
            if (tr == null) {
                throw r.error("unknown transform " + describe(one) + " (known: html-to-text, trim, lowercase, uppercase)");
            }
            transforms.add(tr);
        }
        return List.copyOf(transforms);
    }

    private static Map<String, JsonNode> values(Context ctx, Keys r) {
        if (!r.has("values")) {
            return null;
        }
        if (!(r.get("values") instanceof Map<?, ?> vm) || vm.isEmpty()) {
            throw r.error("'values' must be a map of source value to canonical value");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : vm.entrySet()) {
            String key = scalar(ctx, r.label(), e.getKey());
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List) {
                throw r.error("value of '" + key + "' must be a text, number, boolean or null");
            }
            values.put(key, v == null ? null : JSON.valueToTree(v));
        }
        return values;
    }

    /** The element rules of {@code each}, checked against the fields of the schema's items when there is one. */
    private List<Rule> each(Context ctx, Keys r, JsonNode schema) {
        if (!r.has("each")) {
            return null;
        }
        if (!(r.get("each") instanceof Map<?, ?> sub) || sub.isEmpty()) {
            throw r.error("'each' must be a map of field to rule");
        }
        JsonNode items = schema == null ? null : schema.path("items").path("properties");
        List<Rule> each = new ArrayList<>();
        Set<String> subMapped = new HashSet<>();
        for (Map.Entry<?, ?> e : sub.entrySet()) {
            String subName = String.valueOf(e.getKey());
            String subLabel = r.label() + "." + subName;
            JsonNode subSchema = null;
            if (items != null && !items.isMissingNode()) {
                subSchema = items.path(subName);
                if (subSchema.isMissingNode()) {
                    throw new MappingException(ctx.file(), subLabel, "not a field of " + r.label() + " (known: "
                            + String.join(", ", iterable(items.fieldNames())) + ")");
                }
            }
            each.add(rule(ctx, subName, subLabel, e.getValue(), subMapped, subSchema));
            subMapped.add(subName);
        }
        return List.copyOf(each);
    }

    /**
     * Refuses a rule whose type cannot produce what the canonical schema declares for the field; {@code type} is null
     * for an {@code each} rule.
     */
    private static void checkAgainstSchema(Context ctx, String label, JsonNode schema, FieldType type) {
        String declared = schema.path("type").asText("");
        boolean dateTime = "date-time".equals(schema.path("format").asText(null));
        boolean objects = "object".equals(schema.path("items").path("type").asText(null));
        String expected = switch (declared) {
            case "string" -> dateTime ? "a date-time; use type: datetime" : "a string; use type: string (the default)";
            case "integer" -> "an integer; use type: integer";
            case "number" -> "a number; use type: number";
            case "boolean" -> "a boolean; use type: boolean";
            case "object" -> "an object; use type: object";
            case "array" -> objects ? "a list of objects; use 'each' with a rule per element field"
                    : "a list of strings; use type: string[]";
            default -> null;
        };
        boolean ok = switch (declared) {
            case "string" -> type == (dateTime ? FieldType.DATETIME : FieldType.STRING);
            case "integer" -> type == FieldType.INTEGER;
            case "number" -> type == FieldType.NUMBER || type == FieldType.INTEGER;
            case "boolean" -> type == FieldType.BOOLEAN;
            case "object" -> type == FieldType.OBJECT;
            case "array" -> objects ? type == null : type == FieldType.STRING_ARRAY;
            default -> true;
        };
        if (!ok) {
            throw new MappingException(ctx.file(), label, "the canonical schema makes this field " + expected);
        }
    }

    private static JsonNode typedLiteral(Context ctx, String label, String key, Object v, FieldType type,
                                         DateTimeReader dates) {
        if (v == null) {
            throw new MappingException(ctx.file(), label, "'" + key + "' must not be null");
        }
        JsonNode node = JSON.valueToTree(v);
        if (type == FieldType.STRING_ARRAY) {
            if (!node.isArray()) {
                node = JSON.createArrayNode().add(node);
            }
            for (JsonNode e : node) {
                if (!e.isValueNode()) {
                    throw new MappingException(ctx.file(), label, "'" + key + "' must be a list of texts");
                }
            }
            return textArray(node);
        }
        JsonNode converted = type.convert(node, type == FieldType.DATETIME ? DateTimeReader.of(null, null) : dates);
        if (converted == null) {
            throw new MappingException(ctx.file(), label, "'" + key + "' " + Rule.describe(node) + " is not a "
                    + type.yaml() + (type == FieldType.DATETIME ? " (write it in RFC 3339)" : ""));
        }
        return converted;
    }

    private static JsonNode textArray(JsonNode node) {
        var arr = JSON.createArrayNode();
        node.forEach(e -> arr.add(e.asText()));
        return arr;
    }

    private static RecordPath path(Context ctx, String label, Object p) {
        if (!(p instanceof String s)) {
            throw new MappingException(ctx.file(), label, "'path' must be a JSONPath string or a list of them, got "
                    + describe(p));
        }
        try {
            return RecordPath.compile(s);
        } catch (IllegalArgumentException e) {
            throw new MappingException(ctx.file(), label, "bad JSONPath '" + s + "': " + e.getMessage());
        }
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "'" + v + "'";
    }

    private static Iterable<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
