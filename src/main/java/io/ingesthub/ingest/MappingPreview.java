package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.admin.Operators;
import io.ingesthub.mapping.FieldError;
import io.ingesthub.mapping.Mapping;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.mapping.MappingResult;
import io.ingesthub.web.ProblemException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The mapping preview of {@code POST /admin/mappings/{set}/{entity}/preview}: maps a sample body (one record or an
 * array, read as an ingest request's) with that file and answers {@code {"results":[{"index","status","record"|"errors"}]}}; nothing is published.
 */
@Component("mappingPreview")
public class MappingPreview {

    private final MappingCatalog catalog;
    private final RequestReader requests;
    private final ObjectMapper json;

    public MappingPreview(MappingCatalog catalog, RequestReader requests, ObjectMapper json) {
        this.catalog = catalog;
        this.requests = requests;
        this.json = json;
    }

    public void preview(Exchange exchange) {
        Message in = exchange.getIn();
        String set = in.getHeader("set", String.class);
        String entity = in.getHeader("entity", String.class);
        Mapping mapping = catalog.find(set, entity);
        if (mapping == null) {
            throw new ProblemException(404, "no-mapping", "No such mapping",
                    "Mapping set '" + set + "' has no mapping for '" + entity + "'.");
        }
        List<JsonNode> records = requests.records(in);
        ObjectNode answer = json.createObjectNode();
        ArrayNode results = answer.putArray("results");
        for (int i = 0; i < records.size(); i++) {
            MappingResult r = catalog.map(mapping, records.get(i));
            ObjectNode result = results.addObject();
            result.put("index", i);
            if (r.accepted()) {
                result.put("status", "accepted");
                result.set("record", r.record());
            } else {
                result.put("status", "rejected");
                ArrayNode errors = result.putArray("errors");
                for (FieldError e : r.errors()) {
                    errors.addObject().put("field", e.field()).put("message", e.message());
                }
            }
        }
        Operators.answer(exchange, json, 200, answer);
    }
}
