package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled mapping file ({@code mappings/<set>/<entity>.yaml}): a pure function from a source record to a
 * canonical record (without the hub-set fields) or the field errors that stop it.
 */
public final class Mapping {

    /** A {@code match} condition: the record is for this mapping only when {@code path} yields one of {@code accepted}. */
    record Condition(RecordPath path, List<String> accepted) {}

    private final String set;
    private final String entity;
    private final String file;
    private final Condition[] match;
    private final Rule[] fields;
    private final Rule[] custom;
    /** {@code custom.<name>} of each custom rule, for its errors. */
    private final String[] customLabels;

    Mapping(String set, String entity, String file, List<Condition> match, List<Rule> fields, List<Rule> custom) {
        this.set = set;
        this.entity = entity;
        this.file = file;
        this.match = match.toArray(Condition[]::new);
        this.fields = fields.toArray(Rule[]::new);
        this.custom = custom.toArray(Rule[]::new);
        this.customLabels = custom.stream().map(r -> "custom." + r.name).toArray(String[]::new);
    }

    public String set() {
        return set;
    }

    public String entity() {
        return entity;
    }

    /** Where the mapping was loaded from, as named in error messages. */
    public String file() {
        return file;
    }

    /** Maps one record; never throws for bad input. */
    public MappingResult map(JsonNode record) {
        if (!(record instanceof ObjectNode)) {
            return MappingResult.rejected(null, List.of(new FieldError("$", "the record is not a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>(0);
        for (Condition c : match) {
            List<JsonNode> found = new ArrayList<>(1);
            c.path().select(record, found);
            String actual = found.isEmpty() || found.get(0).isNull() ? null
                    : found.get(0).isValueNode() ? found.get(0).asText() : Rule.describe(found.get(0));
            if (actual == null || !c.accepted().contains(actual)) {
                errors.add(new FieldError("$", "this mapping takes records whose " + c.path().text() + " is "
                        + String.join(" or ", c.accepted().stream().map(a -> "'" + a + "'").toList()) + ", not "
                        + (actual == null ? "missing" : "'" + actual + "'")));
            }
        }
        if (!errors.isEmpty()) {
            return MappingResult.rejected(null, errors);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Rule r : fields) {
            r.apply(record, out, r.name, errors);
        }
        if (custom.length > 0) {
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < custom.length; i++) {
                custom[i].apply(record, extra, customLabels[i], errors);
            }
            if (!extra.isEmpty()) {
                JsonNode mapped = out.get("custom");
                if (mapped instanceof ObjectNode o) {
                    ObjectNode merged = o.deepCopy();
                    merged.setAll(extra);
                    out.set("custom", merged);
                } else {
                    out.set("custom", extra);
                }
            }
        }
        JsonNode id = out.get("id");
        String idText = id != null && id.isValueNode() ? id.asText() : null;
        if (idText == null && errors.stream().noneMatch(e -> e.field().equals("id"))) {
            errors.add(new FieldError("id", "required: the record has no id"));
        }
        if (!errors.isEmpty()) {
            return MappingResult.rejected(idText, errors);
        }
        return MappingResult.mapped(idText, out);
    }
}
