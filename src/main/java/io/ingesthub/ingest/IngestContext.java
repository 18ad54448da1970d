package io.ingesthub.ingest;

import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline knows about one ingest request: its id, entity, caller and records. Lives in the exchange
 * variable {@value #VARIABLE}; each step fills in its part. {@link #finish} writes the one log line of the request.
 */
public final class IngestContext {

    public static final String VARIABLE = "ingest";
    private static final Logger REQUESTS = LoggerFactory.getLogger("ingesthub.requests");

    private final String ingestId;
    private final String entity;
    private final long startNanos = System.nanoTime();
    private String tenant;
    private String app;
    private String dataSource;
    private String mappingSet;
    private List<RecordOutcome> records = List.of();
    private int status;
    private long sendStartNanos;
    private long sendEndNanos;

    public IngestContext(String entity) {
        this.ingestId = IngestIds.next();
        this.entity = entity;
    }

    public static IngestContext of(Exchange exchange) {
        return exchange.getVariable(VARIABLE, IngestContext.class);
    }

    public String ingestId() {
        return ingestId;
    }

    public String entity() {
        return entity;
    }

    public String tenant() {
        return tenant;
    }

    public String app() {
        return app;
    }

    public String dataSource() {
        return dataSource;
    }

    public String mappingSet() {
        return mappingSet;
    }

    /** Records who is calling; set by authentication. */
    public void caller(String tenant, String app, String dataSource, String mappingSet) {
        this.tenant = tenant;
        this.app = app;
        this.dataSource = dataSource;
        this.mappingSet = mappingSet;
    }

    public List<RecordOutcome> records() {
        return records;
    }

    public void records(List<RecordOutcome> records) {
        this.records = records;
    }

    public int accepted() {
        int n = 0;
        for (RecordOutcome r : records) {
            if (r.accepted()) {
                n++;
            }
        }
        return n;
    }

    public int status() {
        return status;
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Marks the moment the records are handed to the Kafka producer. */
    public void sending() {
        this.sendStartNanos = System.nanoTime();
    }

    /** Marks the moment Kafka acknowledged every record of the request. */
    public void acknowledged() {
        this.sendEndNanos = System.nanoTime();
    }

    /** Whether Kafka acknowledged the records, so each one's outcome is final. */
    public boolean placed() {
        return sendEndNanos != 0;
    }

    /** How long the Kafka send took (or has taken so far, if it failed); -1 if the request never reached it. */
    public long sendNanos() {
        if (sendStartNanos == 0) {
            return -1;
        }
        return (sendEndNanos != 0 ? sendEndNanos : System.nanoTime()) - sendStartNanos;
    }

    /**
     * Ends the request with {@code status} and logs its one line: ids, caller, counts, status, duration. The values go
     * both into the readable message and, as SLF4J key-value pairs, into the fields of the JSON log format.
     */
    public void finish(int status) {
        this.status = status;
        if (REQUESTS.isInfoEnabled()) {
            int accepted = accepted();
            int rejected = records.size() - accepted;
            double durationMs = Math.round(elapsedNanos() / 1_000.0) / 1_000.0;
            REQUESTS.atInfo()
                    .setMessage("ingest_id={} tenant={} app={} data_source={} entity={} accepted={} rejected={} status={} duration_ms={}")
                    .addArgument(ingestId).addArgument(tenant).addArgument(app).addArgument(dataSource)
                    .addArgument(entity).addArgument(accepted).addArgument(rejected).addArgument(status)
                    .addArgument(durationMs)
                    .addKeyValue("ingest_id", ingestId)
                    .addKeyValue("tenant", tenant)
                    .addKeyValue("app", app)
                    .addKeyValue("data_source", dataSource)
                    .addKeyValue("entity", entity)
                    .addKeyValue("accepted", accepted)
                    .addKeyValue("rejected", rejected)
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", durationMs)
                    .log();
        }
    }
}
