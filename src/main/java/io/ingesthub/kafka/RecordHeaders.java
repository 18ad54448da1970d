package io.ingesthub.kafka;

import io.ingesthub.Sha256;
import io.ingesthub.mapping.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * The keys and headers of the hub's Kafka records (docs/kafka-contract.md) for one request's tenant, app, data source,
 * entity and ingest id: canonical records, dead letters and the raw archive, as written by the pipeline and by a replay.
 */
public final class RecordHeaders {

    private static final HexFormat HEX = HexFormat.of();

    private final String tenant;
    private final String app;
    private final String dataSource;
    private final String entity;
    private final String ingestId;
    private final String source;
    private final String type;
    private final String keyPrefix;

    public RecordHeaders(String tenant, String app, String dataSource, String entity, String ingestId) {
        this.tenant = tenant;
        this.app = app;
        this.dataSource = dataSource;
        this.entity = entity;
        this.ingestId = ingestId;
        this.source = "/tenants/" + tenant + "/data-sources/" + dataSource;
        this.type = "ingesthub." + entity + ".v1";
        this.keyPrefix = tenant + ":" + dataSource + ":";
    }

    /** The record key {@code <tenant>:<data_source>:<id>}. */
    public String key(String id) {
        return keyPrefix + id;
    }

    /** The key of a dead letter: its id when it could be mapped, otherwise {@code <ingest_id>#<index>}. */
    public String deadLetterKey(String id, int index) {
        return keyPrefix + (id != null ? id : ingestId + "#" + index);
    }

    /** The key of the request's raw archive record: {@code <tenant>:<data_source>:<ingest_id>}. */
    public String rawKey() {
        return keyPrefix + ingestId;
    }

    /** The CloudEvents and hub headers of a canonical record whose value is {@code value}, written at {@code time}. */
    public void canonical(Map<String, Object> h, String id, byte[] value, String time) {
        h.put("ce_specversion", "1.0");
        h.put("ce_id", contentId(value));
        h.put("ce_source", source);
        h.put("ce_type", type);
        h.put("ce_time", time);
        h.put("ce_subject", id);
        h.put("content-type", "application/json");
        identify(h);
    }

    /** The headers of a dead letter: its reason, entity and position in the request, then the identifying ones. */
    public void deadLetter(Map<String, Object> h, List<FieldError> errors, int index) {
        h.put("content-type", "application/json");
        h.put("hub_error", describe(errors));
        h.put("hub_entity", entity);
        h.put("hub_record_index", Integer.toString(index));
        identify(h);
    }

    /** The headers of the raw archive's record of a request body sent as {@code contentType}. */
    public void raw(Map<String, Object> h, String contentType) {
        identify(h);
        h.put("hub_entity", entity);
        h.put("content-type", contentType != null ? contentType : "application/json");
    }

    private void identify(Map<String, Object> h) {
        h.put("hub_tenant", tenant);
        h.put("hub_app", app);
        h.put("hub_data_source", dataSource);
        h.put("hub_ingest_id", ingestId);
    }

    /** Adds {@code headers} to a Kafka record's headers as UTF-8 strings, leaving out those without a value. */
    public static Headers toKafka(Map<String, Object> headers, Headers into) {
        for (Map.Entry<String, Object> e : headers.entrySet()) {
            if (e.getValue() != null) {
                into.add(e.getKey(), e.getValue().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return into;
    }

    /** A CloudEvents id derived from the record's bytes (the first 16 bytes of their SHA-256, in hex). */
    public static String contentId(byte[] value) {
        return HEX.formatHex(Sha256.of(value), 0, 16);
    }

    /** The reason of a rejection: {@code <field>: <message>} pairs joined by {@code ; }. */
    public static String describe(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.field()).append(": ").append(e.message());
        }
        return sb.toString();
    }
}
