package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.ingest.IngestContext;
import io.ingesthub.ingest.RecordOutcome;
import io.ingesthub.web.ProblemException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The pipeline's mapping steps: tells whether the caller's data source has a mapping for the entity, refuses the
 * request when it has none, and maps every record of the request to its canonical form.
 */
@Component("mapper")
public class Mapper {

    private final MappingCatalog catalog;

    public Mapper(MappingCatalog catalog) {
        this.catalog = catalog;
    }

    /** True when the caller's mapping set has no file for the entity of the request. */
    public boolean missing(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        return catalog.find(ctx.mappingSet(), ctx.entity()) == null;
    }

    /** Refuses the request: 422, no mapping for this data source and entity. */
    public void refuse(Exchange exchange) {
        throw noMapping(IngestContext.of(exchange));
    }

    /** Maps each record with the caller's mapping; adds tenant, data source and entity to every accepted one. */
    public void map(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        Mapping mapping = catalog.find(ctx.mappingSet(), ctx.entity());
        if (mapping == null) {
            throw noMapping(ctx);
        }
        for (RecordOutcome r : ctx.records()) {
            MappingResult result = catalog.map(mapping, r.input());
            if (result.accepted()) {
                ObjectNode out = result.record();
                out.put("tenant", ctx.tenant());
                out.put("data_source", ctx.dataSource());
                out.put("entity", ctx.entity());
                r.accept(result.id(), out);
            } else {
                if (result.id() != null) {
                    r.claimId(result.id());
                }
                r.reject(result.errors());
            }
        }
    }

    private static ProblemException noMapping(IngestContext ctx) {
        return new ProblemException(422, "no-mapping", "No mapping for this data source and entity",
                "Data source '" + ctx.dataSource() + "' uses mapping set '" + ctx.mappingSet() + "', which has no mapping"
                        + " for " + ctx.entity() + " (mappings/" + ctx.mappingSet() + "/" + ctx.entity() + ".yaml).");
    }
}
