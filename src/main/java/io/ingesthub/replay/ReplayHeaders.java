package io.ingesthub.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a replayed canonical record: the same CloudEvents and {@code hub_*} headers as a live record of the
 * pipeline (so {@code ce_id}, derived from the content, lets consumers drop a record they already have), plus
 * {@code hub_replay_id} and {@code hub_replayed_from} ({@code <topic>/<partition>/<offset>}).
 */
final class ReplayHeaders {

    private static final HexFormat HEX = HexFormat.of();

    private ReplayHeaders() {}

    static Headers canonical(String tenant, String app, String dataSource, String entity, String ingestId, String id,
            byte[] value, String time, String replayId, String replayedFrom) {
        RecordHeaders h = new RecordHeaders();
        add(h, "ce_specversion", "1.0");
        add(h, "ce_id", contentId(value));
        add(h, "ce_source", "/tenants/" + tenant + "/data-sources/" + dataSource);
        add(h, "ce_type", "ingesthub." + entity + ".v1");
        add(h, "ce_time", time);
        add(h, "ce_subject", id);
        add(h, "content-type", "application/json");
        add(h, "hub_tenant", tenant);
        add(h, "hub_app", app);
        add(h, "hub_data_source", dataSource);
        add(h, "hub_ingest_id", ingestId);
        add(h, "hub_replay_id", replayId);
        add(h, "hub_replayed_from", replayedFrom);
        return h;
    }

    /** The first 16 bytes of the value's SHA-256 in hex, as the pipeline derives {@code ce_id}. */
    static String contentId(byte[] value) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(value), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(RecordHeaders h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
