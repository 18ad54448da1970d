package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What mapping one record gave: its id when one was found, and either the canonical record or the errors. */
public record MappingResult(String id, ObjectNode record, List<FieldError> errors) {

    static MappingResult mapped(String id, ObjectNode record) {
        return new MappingResult(id, record, List.of());
    }

    static MappingResult rejected(String id, List<FieldError> errors) {
        return new MappingResult(id, null, List.copyOf(errors));
    }

    public boolean accepted() {
        return errors.isEmpty();
    }
}
