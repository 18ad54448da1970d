package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.kafka.RecordHeaders;
import io.ingesthub.kafka.RecordSizeLimit;
import io.ingesthub.replay.ReplayProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Wraps every record of a request as one Kafka message (entity topic, or the dead-letter topic for a rejected one,
 * keys and headers from {@link RecordHeaders}) and, for a data source that archives, the request body as one more
 * message to the raw archive, so that one send covers the whole request.
 */
@Component("envelope")
public class KafkaEnvelope {

    private final ObjectMapper json;
    private final HubProperties.Topics topics;
    private final String rawTopic;
    private final RecordSizeLimit sizes;

    public KafkaEnvelope(ObjectMapper json, HubProperties hub, ReplayProperties replay, RecordSizeLimit sizes) {
        this.json = json;
        this.topics = hub.topics();
        this.rawTopic = topics.prefix() + replay.rawTopic();
        this.sizes = sizes;
    }

    /**
     * Replaces the body with one Kafka message per record, accepted ones to the entity topic, rejected ones to the
     * DLQ, then the archived body if any: the answer step reads the first {@code records().size()} messages.
     */
    public void wrap(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        CamelContext camel = exchange.getContext();
        String entityTopic = topics.forEntity(ctx.entity());
        RecordHeaders headers = new RecordHeaders(ctx.tenant(), ctx.app(), ctx.dataSource(), ctx.entity(), ctx.ingestId());
        String now = Instant.now().toString();
        List<Message> messages = new ArrayList<>(ctx.records().size() + 1);
        for (RecordOutcome r : ctx.records()) {
            DefaultMessage m = new DefaultMessage(camel);
            byte[] value = r.accepted() ? bytes(r.output()) : null;
            if (value != null && !sizes.fits(value, headers.key(r.id()))) {
                r.reject(List.of(sizes.tooLarge(value, headers.key(r.id()))));
            }
            if (r.accepted()) {
                m.setBody(value);
                m.setHeader(KafkaConstants.OVERRIDE_TOPIC, entityTopic);
                m.setHeader(KafkaConstants.KEY, headers.key(r.id()));
                headers.canonical(m.getHeaders(), r.id(), value, now);
            } else {
                String key = headers.deadLetterKey(r.id(), r.index());
                byte[] input = bytes(r.input());
                m.setBody(sizes.deadLetterValue(input, key));
                m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.deadLetters());
                m.setHeader(KafkaConstants.KEY, key);
                headers.deadLetter(m.getHeaders(), r.errors(), r.index());
            }
            if (ctx.deliveryId() != null) {
                m.setHeader("hub_delivery_id", ctx.deliveryId());
            }
            r.sent();
            messages.add(m);
        }
        if (ctx.body() != null) {
            // A body over the record limit cannot be one Kafka message: it is archived as a stub with its size and
            // content id, and its records go out as usual.
            byte[] body = ctx.body();
            String key = headers.rawKey();
            byte[] archived = sizes.deadLetterValue(body, key);
            DefaultMessage m = new DefaultMessage(camel);
            m.setBody(archived);
            m.setHeader(KafkaConstants.OVERRIDE_TOPIC, rawTopic);
            m.setHeader(KafkaConstants.KEY, key);
            headers.raw(m.getHeaders(), archived == body ? ctx.contentType() : "application/json");
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
}
