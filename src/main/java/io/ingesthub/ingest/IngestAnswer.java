package io.ingesthub.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.mapping.FieldError;
import io.ingesthub.web.HttpAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.stereotype.Component;

/**
 * The last step of the pipeline: once Kafka acknowledged every record, reads back where each landed and answers
 * 200, 207 or 422 with every record's outcome; or answers 202 for a delivery the hub deliberately does not take.
 */
@Component("ingestAnswer")
public class IngestAnswer {

    private final ObjectMapper json;
    private final IngestFinish finish;

    public IngestAnswer(ObjectMapper json, IngestFinish finish) {
        this.json = json;
        this.finish = finish;
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
        HttpAnswer.write(out, status, "application/json", render(ctx, accepted));
        out.setHeader("X-Ingest-Id", ctx.ingestId());
        finish.finish(ctx, status);
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

    /** Answers 202 with no records for a delivery the hub does not take (counted, nothing published). */
    public void ignore(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        ctx.records(List.of());
        Message out = exchange.getMessage();
        HttpAnswer.write(out, 202, "application/json", render(ctx, 0));
        out.setHeader("X-Ingest-Id", ctx.ingestId());
        finish.finish(ctx, 202);
    }
}
