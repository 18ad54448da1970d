package io.ingesthub.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.ingest.IngestContext;
import io.ingesthub.ingest.RecordOutcome;
import io.ingesthub.mapping.FieldError;
import io.ingesthub.ops.HubMetrics;
import java.io.ByteArrayOutputStream;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.stereotype.Component;

/**
 * The Kafka contract of the hub: wraps every record of a request as one Kafka message (entity topic, key
 * {@code <tenant>:<data_source>:<id>}, CloudEvents binary-mode headers, hub headers; rejected records to the
 * dead-letter topic with {@code hub_error}) so that one send covers the whole request, then reads back where each
 * landed and writes the answer.
 */
@Component("envelope")
public class KafkaEnvelope {

    private static final HexFormat HEX = HexFormat.of();

    private final ObjectMapper json;
    private final HubProperties.Topics topics;
    private final HubMetrics metrics;

    public KafkaEnvelope(ObjectMapper json, HubProperties hub, HubMetrics metrics) {
        this.json = json;
        this.topics = hub.topics();
        this.metrics = metrics;
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
            if (r.accepted()) {
                byte[] value = bytes(r.output());
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
                m.setBody(bytes(r.input()));
                m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.deadLetters());
                m.setHeader(KafkaConstants.KEY, keyPrefix + (r.id() != null ? r.id() : ctx.ingestId() + "#" + r.index()));
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
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(messages);
        ctx.sending();
    }

    /** After Kafka acknowledged every message: records where each landed and writes 200, 207 or 422. */
    @SuppressWarnings("unchecked")
    public void answer(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        ctx.acknowledged();
        List<Message> messages = exchange.getIn().getBody(List.class);
        List<RecordOutcome> records = ctx.records();
        for (int i = 0; i < records.size(); i++) {
            List<RecordMetadata> meta = messages.get(i).getHeader(KafkaConstants.KAFKA_RECORD_META, List.class);
            if (meta == null || meta.isEmpty() || meta.get(0) == null) {
                throw new IllegalStateException("Kafka gave no metadata for record " + i);
            }
            RecordMetadata md = meta.get(0);
            records.get(i).placed(md.topic(), md.partition(), md.offset());
        }
        int accepted = ctx.accepted();
        int status = accepted == records.size() ? 200 : accepted == 0 ? 422 : 207;
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader("X-Ingest-Id", ctx.ingestId());
        out.setBody(render(ctx, accepted));
        ctx.finish(status);
        metrics.request(ctx, status);
    }

    private byte[] render(IngestContext ctx, int accepted) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(96 + 96 * ctx.records().size());
        try (JsonGenerator g = json.getFactory().createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("ingest_id", ctx.ingestId());
            g.writeNumberField("accepted", accepted);
            g.writeNumberField("rejected", ctx.records().size() - accepted);
            g.writeArrayFieldStart("results");
            for (RecordOutcome r : ctx.records()) {
                g.writeStartObject();
                g.writeNumberField("index", r.index());
                if (r.accepted()) {
                    g.writeStringField("id", r.id());
                    g.writeStringField("status", "accepted");
                    g.writeStringField("topic", r.topic());
                    g.writeNumberField("partition", r.partition());
                    g.writeNumberField("offset", r.offset());
                } else {
                    if (r.id() != null) {
                        g.writeStringField("id", r.id());
                    }
                    g.writeStringField("status", "rejected");
                    g.writeArrayFieldStart("errors");
                    for (FieldError e : r.errors()) {
                        g.writeStartObject();
                        g.writeStringField("field", e.field());
                        g.writeStringField("message", e.message());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
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
