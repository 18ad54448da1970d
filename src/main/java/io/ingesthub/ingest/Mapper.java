package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.mapping.Mapping;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.mapping.MappingResult;
import io.ingesthub.web.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The pipeline's mapping step: maps every record of the request to its canonical form with the caller's mapping for
 * the entity, and refuses the request (422) when the caller's mapping set has none.
 */
@Component("mapper")
public class Mapper {

    private final MappingCatalog catalog;

    public Mapper(MappingCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Maps each record with the caller's mapping for the entity named by the exchange variable {@code entity}; adds
     * tenant, data source and entity to every accepted one.
     */
    public void map(Exchange exchange, @Variable("entity") String entity) {
        IngestContext ctx = IngestContext.of(exchange);
        ctx.entity(entity);
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
