package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.Endpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The canonical record schemas ({@code schemas/<entity>.schema.json} on the classpath), loaded once: they validate
 * every mapped record and tell the mapping loader which fields an entity has.
 */
@Component
public final class CanonicalSchemas {

    /** The entities of the endpoint table ({@link Endpoint#TABLE}), each with one schema and one topic. */
    public static final List<String> ENTITIES = Endpoint.entities();

    /** Fields the hub sets on every record; a mapping cannot. */
    public static final Set<String> HUB_FIELDS = Set.of("tenant", "data_source", "entity");

    private final Map<String, JsonNode> documents = new LinkedHashMap<>();
    private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();

    public CanonicalSchemas() {
        ObjectMapper json = new ObjectMapper();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (String entity : ENTITIES) {
            String resource = "schemas/" + entity + ".schema.json";
            try (InputStream in = CanonicalSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource + " on the classpath");
                }
                JsonNode doc = json.readTree(in);
                documents.put(entity, doc);
                schemas.put(entity, factory.getSchema(doc, config));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }

    public boolean knows(String entity) {
        return schemas.containsKey(entity);
    }

    /** The schema of a top-level field of {@code entity}, or a missing node when the entity has no such field. */
    JsonNode field(String entity, String field) {
        return documents.get(entity).path("properties").path(field);
    }

    /** Validates a canonical record; each problem becomes a {@link FieldError} naming the field. */
    public List<FieldError> validate(String entity, JsonNode record) {
        Set<ValidationMessage> messages = schemas.get(entity).validate(record);
        if (messages.isEmpty()) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            String field = field(m.getInstanceLocation().toString());
            if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
                field = field.equals("$") ? m.getProperty() : field + "." + m.getProperty();
            }
            errors.add(new FieldError(field, "schema: " + m.getError()));
        }
        errors.sort(java.util.Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }

    /** A JSON Pointer or {@code $.a.b} location as the field names of the answer: {@code comments[0].created_at}. */
    static String field(String location) {
        if (location.isEmpty() || location.equals("$") || location.equals("/")) {
            return "$";
        }
        if (location.startsWith("$.")) {
            return location.substring(2);
        }
        StringBuilder sb = new StringBuilder();
        for (String part : location.substring(1).split("/", -1)) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(name).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(name);
            }
        }
        return sb.toString();
    }
}
