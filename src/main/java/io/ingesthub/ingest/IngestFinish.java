package io.ingesthub.ingest;

import io.ingesthub.kafka.RecordHeaders;
import io.ingesthub.monitoring.Execution;
import io.ingesthub.monitoring.ExecutionsPublisher;
import io.ingesthub.ops.HubMetrics;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where every ingest request ends, answered or refused (by admission, a pipeline step or the error handler): writes
 * its one log line, counts it and publishes its executions record.
 */
@Component("ingestFinish")
public class IngestFinish {

    private static final Logger REQUESTS = LoggerFactory.getLogger("ingesthub.requests");

    private final HubMetrics metrics;
    private final ExecutionsPublisher executions;

    public IngestFinish(HubMetrics metrics, ExecutionsPublisher executions) {
        this.metrics = metrics;
        this.executions = executions;
    }

    /** Ends a request answered with its records' outcomes; the reason is the first rejection's, if any. */
    public void finish(IngestContext ctx, int status) {
        finish(ctx, status, null);
    }

    /**
     * Ends the request with {@code status}: ids, caller, counts, status and duration go both into the readable
     * message and, as SLF4J key-value pairs, into the fields of the JSON log format; {@code refusal} is the detail of
     * the problem answered, or null. The executions record carries ids, counts and that reason, never a credential or a
     * payload.
     */
    public void finish(IngestContext ctx, int status, String refusal) {
        int accepted = ctx.accepted();
        int rejected = ctx.recordCount() - accepted;
        long elapsedNanos = ctx.elapsedNanos();
        if (REQUESTS.isInfoEnabled()) {
            double durationMs = Math.round(elapsedNanos / 1_000.0) / 1_000.0;
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
        // A refused request published nothing for sure (a 503 may have mapped records Kafka never confirmed).
        boolean refused = refusal != null;
        executions.publish(new Execution(ctx.ingestId(), ctx.tenant(), ctx.dataSource(), ctx.app(), ctx.entity(), status,
                refused ? 0 : accepted, refused ? 0 : rejected, elapsedNanos / 1_000_000,
                refused ? refusal : firstRejection(ctx), Instant.now()));
    }

    private static String firstRejection(IngestContext ctx) {
        for (RecordOutcome r : ctx.records()) {
            if (!r.accepted()) {
                return RecordHeaders.describe(r.errors());
            }
        }
        return null;
    }
}
