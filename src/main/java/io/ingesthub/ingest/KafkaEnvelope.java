package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.kafka.RecordSizeLimit;
import io.ingesthub.mapping.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * The Kafka contract of the hub: wraps every record of a request as one Kafka message (entity topic, key
 * {@code <tenant>:<data_source>:<id>}, CloudEvents binary-mode headers, hub headers; rejected records to the
 * dead-letter topic with {@code hub_error}) so that one send covers the whole request.
 */
@Component("envelope")
public class KafkaEnvelope {

    private static final HexFormat HEX = HexFormat.of();

    private final ObjectMapper json;
    private final HubProperties.Topics topics;
    private final RecordSizeLimit sizes;

    public KafkaEnvelope(ObjectMapper json, HubProperties hub, RecordSizeLimit sizes) {
        this.json = json;
        this.topics = hub.topics();
        this.sizes = sizes;
    }

    /** Replaces the body with one Kafka message per record, accepted ones to the entity topic, rejected ones to the DLQ. */
    public void wrap(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        CamelContext camel = exchange.getContext();
        String entityTopic = topics.forEntity(ctx.entity());
        String source = "/tenants/" + ctx.tenant() + "/data-sources/" + ctx.dataSource();
        String type = "ingesthub." + ctx.entity() + ".v1";
        String keyPrefix = ctx.tenant() + ":" + ctx.dataSource() + ":";
        String now = Instant.now().toString();
        MessageDigest sha256 = sha256();
        List<Message> messages = new ArrayList<>(ctx.records().size());
        for (RecordOutcome r : ctx.records()) {
            DefaultMessage m = new DefaultMessage(camel);
            byte[] value = r.accepted() ? bytes(r.output()) : null;
            if (value != null && !sizes.fits(value, keyPrefix + r.id())) {
                r.reject(List.of(sizes.tooLarge(value, keyPrefix + r.id())));
            }
            if (r.accepted()) {
                m.setBody(value);
                m.setHeader(KafkaConstants.OVERRIDE_TOPIC, entityTopic);
                m.setHeader(KafkaConstants.KEY, keyPrefix + r.id());
                m.setHeader("ce_specversion", "1.0");
                m.setHeader("ce_id", contentId(sha256, value));
                m.setHeader("ce_source", source);
                m.setHeader("ce_type", type);
                m.setHeader("ce_time", now);
                m.setHeader("ce_subject", r.id());
                m.setHeader("content-type", "application/json");
            } else {
                String key = keyPrefix + (r.id() != null ? r.id() : ctx.ingestId() + "#" + r.index());
                byte[] input = bytes(r.input());
                m.setBody(sizes.deadLetterValue(input, key, contentId(sha256, input)));
                m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.deadLetters());
                m.setHeader(KafkaConstants.KEY, key);
                m.setHeader("content-type", "application/json");
                m.setHeader("hub_error", describe(r.errors()));
                m.setHeader("hub_entity", ctx.entity());
                m.setHeader("hub_record_index", Integer.toString(r.index()));
            }
            m.setHeader("hub_tenant", ctx.tenant());
            m.setHeader("hub_app", ctx.app());
            m.setHeader("hub_data_source", ctx.dataSource());
            m.setHeader("hub_ingest_id", ctx.ingestId());
            messages.add(m);
        }
        exchange.getIn().setBody(messages);
        ctx.sending();
    }

    private byte[] bytes(Object node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CloudEvents id derived from the record's bytes: the same record sent twice gets the same id. */
    static String contentId(MessageDigest sha256, byte[] value) {
        sha256.reset();
        byte[] d = sha256.digest(value);
        return HEX.formatHex(d, 0, 16);
    }

    static String describe(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.field()).append(": ").append(e.message());
        }
        return sb.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
