package io.ingesthub.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.kafka.KafkaWriteRefused;
import io.ingesthub.web.HttpAnswer;
import io.ingesthub.web.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns whatever stopped a request into an RFC 9457 {@code application/problem+json} answer: a
 * {@link ProblemException} as it says, a Kafka failure as 503 (the client retries) unless no retry fixes it (a 500
 * naming the cause), anything else as a 500 that names the ingest id but never the cause's text or stack.
 */
@Component("problems")
public class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final ObjectMapper json;
    private final long retryAfterSeconds;
    private final IngestFinish finish;

    public Problems(ObjectMapper json, HubProperties hub, IngestFinish finish) {
        this.json = json;
        this.retryAfterSeconds = Math.max(1, hub.limits().retryAfter().toSeconds());
        this.finish = finish;
    }

    /** Entry point of the shared error handler: reads the caught exception and writes the answer. */
    public void answer(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IngestContext ctx = IngestContext.of(exchange);
        String ingestId = ctx != null ? ctx.ingestId() : exchange.getExchangeId();
        ProblemException problem = classify(cause, ingestId);
        String instance = ctx != null ? ctx.path() : exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        write(exchange.getMessage(), problem, instance, ingestId);
        if (ctx != null) {
            finish.finish(ctx, problem.status(), problem.detail());
        }
    }

    ProblemException classify(Throwable cause, String ingestId) {
        ProblemException known = find(cause, ProblemException.class);
        if (known != null) {
            return known;
        }
        KafkaWriteRefused refused = find(cause, KafkaWriteRefused.class);
        if (refused != null) {
            LOG.error("Kafka refused ingest {}: {}", ingestId, refused.getMessage());
            return new ProblemException(500, "kafka-refused", "Kafka refused the records",
                    "Kafka refused the write, and a retry alone will not fix it: " + refused.getMessage()
                            + ". Nothing was confirmed; quote the ingest_id to the hub's operator.");
        }
        if (find(cause, KafkaException.class) != null || find(cause, java.util.concurrent.TimeoutException.class) != null) {
            LOG.warn("Kafka did not acknowledge ingest {}: {}", ingestId, rootMessage(cause));
            return ProblemException.unavailable(
                    "Kafka did not acknowledge the records in time; nothing was confirmed, retry the request.",
                    retryAfterSeconds);
        }
        LOG.error("Unexpected failure in ingest {}", ingestId, cause);
        return new ProblemException(500, "internal-error", "Internal error",
                "The hub failed to process the request; quote the ingest_id when reporting it.");
    }

    /** Writes {@code problem} as the HTTP answer on {@code message}. */
    public void write(Message message, ProblemException problem, String instance, String ingestId) {
        HttpAnswer.write(message, problem.status(), CONTENT_TYPE, render(problem, instance, ingestId));
        for (Map.Entry<String, String> h : problem.headers().entrySet()) {
            message.setHeader(h.getKey(), h.getValue());
        }
        message.setHeader("X-Ingest-Id", ingestId);
    }

    public byte[] render(ProblemException problem, String instance, String ingestId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "/problems/" + problem.slug());
            g.writeStringField("title", problem.title());
            g.writeNumberField("status", problem.status());
            g.writeStringField("detail", problem.detail());
            if (instance != null) {
                g.writeStringField("instance", instance);
            }
            g.writeStringField("ingest_id", ingestId);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
