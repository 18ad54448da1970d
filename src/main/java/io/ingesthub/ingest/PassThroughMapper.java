package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.mapping.FieldError;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Maps each record as received: its id from {@code $.id}, plus the hub's tenant, data source and entity fields. */
@Component("mapper")
public class PassThroughMapper {

    public void map(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        for (RecordOutcome r : ctx.records()) {
            JsonNode in = r.input();
            if (!(in instanceof ObjectNode obj)) {
                r.reject(List.of(new FieldError("$", "the record is not a JSON object")));
                continue;
            }
            JsonNode id = obj.get("id");
            if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isEmpty()) {
                r.reject(List.of(new FieldError("id", "required: the record has no id")));
                continue;
            }
            ObjectNode out = obj.deepCopy();
            out.put("tenant", ctx.tenant());
            out.put("data_source", ctx.dataSource());
            out.put("entity", ctx.entity());
            r.accept(id.asText(), out);
        }
    }
}
