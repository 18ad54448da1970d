package io.ingesthub.ingest;

import io.ingesthub.ops.HubMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where every ingest request ends, answered or refused (by admission, a pipeline step or the error handler): writes
 * its one log line and counts it.
 */
@Component("ingestFinish")
public class IngestFinish {

    private static final Logger REQUESTS = LoggerFactory.getLogger("ingesthub.requests");

    private final HubMetrics metrics;

    public IngestFinish(HubMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Ends the request with {@code status}: ids, caller, counts, status and duration go both into the readable
     * message and, as SLF4J key-value pairs, into the fields of the JSON log format.
     */
    public void finish(IngestContext ctx, int status) {
        if (REQUESTS.isInfoEnabled()) {
            int accepted = ctx.accepted();
            int rejected = ctx.recordCount() - accepted;
            double durationMs = Math.round(ctx.elapsedNanos() / 1_000.0) / 1_000.0;
            REQUESTS.atInfo()
                    .setMessage("ingest_id={} tenant={} app={} data_source={} entity={} accepted={} rejected={} status={} duration_ms={}")
                    .addArgument(ctx.ingestId()).addArgument(ctx.tenant()).addArgument(ctx.app())
                    .addArgument(ctx.dataSource()).addArgument(ctx.entity()).addArgument(accepted)
                    .addArgument(rejected).addArgument(status).addArgument(durationMs)
                    .addKeyValue("ingest_id", ctx.ingestId())
                    .addKeyValue("tenant", ctx.tenant())
                    .addKeyValue("app", ctx.app())
                    .addKeyValue("data_source", ctx.dataSource())
                    .addKeyValue("entity", ctx.entity())
                    .addKeyValue("accepted", accepted)
                    .addKeyValue("rejected", rejected)
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", durationMs)
                    .log();
        }
        metrics.request(ctx, status);
    }
}
