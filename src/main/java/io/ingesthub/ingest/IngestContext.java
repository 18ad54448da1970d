package io.ingesthub.ingest;

import io.ingesthub.ops.HubMetrics;
import io.ingesthub.web.IngestIds;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What the pipeline knows about one ingest request: its id, path, entity, caller and records. Lives in the exchange
 * variable {@value #VARIABLE}; each step fills in its part, and {@link IngestFinish} ends it.
 */
public final class IngestContext implements HubMetrics.Finished {

    public static final String VARIABLE = "ingest";

    private final String ingestId;
    private final String path;
    private String entity;
    private final long startNanos = System.nanoTime();
    private String tenant;
    private String app;
    private String dataSource;
    private String mappingSet;
    private String deliveryId;
    private List<RecordOutcome> records = List.of();
    private boolean archive;
    private byte[] body;
    private String contentType;
    private long sendStartNanos;
    private long sendEndNanos;

    public IngestContext(String path, String entity) {
        this.ingestId = IngestIds.next();
        this.path = path;
        this.entity = entity;
    }

    public static IngestContext of(Exchange exchange) {
        return exchange.getVariable(VARIABLE, IngestContext.class);
    }

    public String ingestId() {
        return ingestId;
    }

    /** The request's path, the {@code instance} of its problem answers. */
    public String path() {
        return path;
    }

    @Override
    public String entity() {
        return entity;
    }

    /** Names the entity of the records; a source route may decide it after the request began. */
    public void entity(String entity) {
        this.entity = entity;
    }

    @Override
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

    /** The sender's delivery id of a source delivery, or {@code null}; travels as Kafka header {@code hub_delivery_id}. */
    public String deliveryId() {
        return deliveryId;
    }

    public void deliveryId(String deliveryId) {
        this.deliveryId = deliveryId;
    }

    /** Whether the data source archives request bodies ({@code archive: true}); set by authentication. */
    public boolean archive() {
        return archive;
    }

    public void archive(boolean archive) {
        this.archive = archive;
    }

    /** The request body as received, kept only when the data source archives it; otherwise {@code null}. */
    public byte[] body() {
        return body;
    }

    public String contentType() {
        return contentType;
    }

    public void body(byte[] body, String contentType) {
        this.body = body;
        this.contentType = contentType;
    }

    public List<RecordOutcome> records() {
        return records;
    }

    public void records(List<RecordOutcome> records) {
        this.records = records;
    }

    @Override
    public int recordCount() {
        return records.size();
    }

    @Override
    public int accepted() {
        int n = 0;
        for (RecordOutcome r : records) {
            if (r.accepted()) {
                n++;
            }
        }
        return n;
    }

    @Override
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
    @Override
    public boolean placed() {
        return sendEndNanos != 0;
    }

    /** How long the Kafka send took (or has taken so far, if it failed); -1 if the request never reached it. */
    @Override
    public long sendNanos() {
        if (sendStartNanos == 0) {
            return -1;
        }
        return (sendEndNanos != 0 ? sendEndNanos : System.nanoTime()) - sendStartNanos;
    }

}
