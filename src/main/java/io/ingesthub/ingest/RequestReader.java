package io.ingesthub.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.web.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * First steps of the pipeline: opens the {@link IngestContext} of a request and reads its body into records
 * (a JSON array of objects, or one object), refusing malformed JSON and too many records.
 */
@Component("requests")
public class RequestReader {

    private final ObjectMapper json;
    private final int maxRecords;
    private final long maxBodyBytes;

    public RequestReader(ObjectMapper json, HubProperties hub) {
        this.json = json;
        this.maxRecords = hub.limits().maxRecords();
        this.maxBodyBytes = hub.limits().maxBodyBytes().toBytes();
    }

    /** Opens the request's context for the path it came to and the entity its route named. */
    public void begin(Exchange exchange, @Variable("entity") String entity) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        exchange.setVariable(IngestContext.VARIABLE, new IngestContext(path != null ? path : "/" + entity, entity));
    }

    /**
     * Reads the body into the context's records, as {@link #records} does, then drops the request's headers: nothing
     * after this step reads them, and none may reach Kafka or the answer.
     */
    public void read(Exchange exchange) {
        IngestContext ctx = IngestContext.of(exchange);
        Message in = exchange.getIn();
        if (ctx.archive()) {
            ctx.body(bytes(in), in.getHeader(Exchange.CONTENT_TYPE, String.class));
            in.setBody(ctx.body());
        }
        List<JsonNode> read = records(in);
        List<RecordOutcome> records = new ArrayList<>(read.size());
        for (JsonNode record : read) {
            records.add(new RecordOutcome(records.size(), record));
        }
        ctx.records(records);
        in.removeHeaders("*");
    }

    /**
     * The records of a body: a JSON array of objects or one object, with no more than
     * {@code hub.limits.max-records} records; anything else is refused with the problem that says why.
     */
    public List<JsonNode> records(Message in) {
        List<JsonNode> records = new ArrayList<>();
        try (JsonParser p = parser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ProblemException.badRequest("The request body is empty; send a JSON object or array.");
            }
            if (first == JsonToken.START_OBJECT) {
                records.add(json.readTree(p));
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw ProblemException.badRequest("Malformed JSON: the array is not closed.");
                    }
                    if (records.size() == maxRecords) {
                        throw ProblemException.tooLarge("The request holds more than " + maxRecords
                                + " records (hub.limits.max-records); split it into smaller batches.");
                    }
                    records.add(json.readTree(p));
                }
            } else {
                throw ProblemException.badRequest("The body is a JSON " + describe(first)
                        + "; send a JSON object or an array of objects.");
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw ProblemException.badRequest(at(p.currentLocation())
                        + ": unexpected content after the end of the JSON value.");
            }
        } catch (JsonProcessingException e) {
            String where = at(e.getLocation());
            throw ProblemException.badRequest("Malformed JSON" + (where.isEmpty() ? "" : " " + where) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read as JSON text: it must be UTF-8 "
                    + "(RFC 8259).");
        }
        return records;
    }

    /**
     * The body as bytes, read once and at most {@code hub.limits.max-body-bytes} (413 beyond): for a data source that
     * archives it and for a source delivery, whose signature covers these bytes. Other webhook requests do not need
     * them: the parser reads the body as the HTTP binding left it.
     */
    byte[] bytes(Message in) {
        Object body = in.getBody();
        if (body instanceof byte[] b) {
            return b;
        }
        try (InputStream stream = in.getBody(InputStream.class)) {
            if (stream == null) {
                return new byte[0];
            }
            // A declared length (admission checked it against the limit) is read into one array of that size.
            long declared = declaredLength(in);
            if (declared >= 0 && declared <= maxBodyBytes) {
                byte[] b = stream.readNBytes((int) declared);
                if (b.length == declared && stream.read() < 0) {
                    return b;
                }
                throw ProblemException.badRequest("The body does not match its Content-Length.");
            }
            byte[] b = stream.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (b.length > maxBodyBytes) {
                throw ProblemException.tooLarge("The body is larger than " + maxBodyBytes
                        + " bytes (hub.limits.max-body-bytes).");
            }
            return b;
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read.");
        }
    }

    /** The Content-Length of an identity-coded body, or -1 (absent, unreadable, or the body is decoded from gzip). */
    private static long declaredLength(Message in) {
        if (in.getHeader("Content-Encoding") != null) {
            return -1;
        }
        try {
            Long length = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
            return length == null ? -1 : length;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A parser on the body: bytes, a reader, or the stream the HTTP binding made of the request. */
    private JsonParser parser(Message in) throws IOException {
        Object body = in.getBody();
        if (body instanceof byte[] bytes) {
            return json.getFactory().createParser(bytes);
        }
        if (body instanceof Reader reader) {
            return json.getFactory().createParser(reader);
        }
        InputStream stream = in.getBody(InputStream.class);
        if (stream == null) {
            throw ProblemException.badRequest("The request body is empty; send a JSON object or array.");
        }
        return json.getFactory().createParser(stream);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.asString();
        };
    }

    private static String at(JsonLocation loc) {
        if (loc == null) {
            return "";
        }
        return "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
