package io.ingesthub.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.Endpoint;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.replay.ReplayRequest;
import io.ingesthub.replay.ReplayService;
import io.ingesthub.replay.ReplayState;
import io.ingesthub.web.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The replay endpoints: {@code POST /admin/replays} starts one (202 and its id), {@code GET /admin/replays} lists them,
 * {@code GET /admin/replays/{id}} reports one and {@code DELETE} cancels it; bad requests answer as problems.
 */
@Component("replayApi")
public class ReplayApi {

    private static final int MAX_BODY = 16 * 1024;

    private final ReplayService replays;
    private final TenantRegistry registry;
    private final ObjectMapper json;

    public ReplayApi(ReplayService replays, TenantRegistry registry, ObjectMapper json) {
        this.replays = replays;
        this.registry = registry;
        this.json = json;
    }

    /** {@code /admin/replays}: POST starts a replay, GET lists the known ones, newest first. */
    public void collection(Exchange exchange) {
        if ("GET".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
            Operators.answer(exchange, json, 200, Map.of("replays", replays.all()));
            return;
        }
        JsonNode body = read(exchange);
        Operators.Source s = Operators.source(registry, text(body, "tenant"), required(body, "data_source"));
        String entity = text(body, "entity");
        if (entity != null && !Endpoint.entities().contains(entity)) {
            throw ProblemException.badRequest("'entity' must be one of " + Endpoint.entities() + ", not '" + entity + "'.");
        }
        String until = text(body, "until");
        ReplayRequest request = new ReplayRequest(s.tenant(), s.name(), s.dataSource().mappings(), required(body, "from"),
                instant("since", required(body, "since")), until == null ? Instant.now() : instant("until", until), entity,
                text(body, "error_contains"), text(body, "ingest_id"), body.path("dry_run").asBoolean(false));
        ReplayState state = replays.start(request);
        Operators.answer(exchange, json, 202, state);
        exchange.getMessage().setHeader("Location", "/admin/replays/" + state.id());
    }

    /** {@code /admin/replays/{id}}: GET reports the replay, DELETE asks it to stop (202). */
    public void item(Exchange exchange) {
        String id = Operators.param(exchange, "id");
        boolean cancel = "DELETE".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class));
        ReplayState state = cancel ? replays.cancel(id) : replays.get(id);
        if (state == null) {
            throw new ProblemException(404, "unknown-replay", "Unknown replay", "No replica reported a replay '" + id + "'.");
        }
        Operators.answer(exchange, json, cancel ? 202 : 200, state);
    }

    private JsonNode read(Exchange exchange) {
        JsonNode body;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            byte[] bytes = in == null ? new byte[0] : in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw ProblemException.tooLarge("A replay request is at most " + MAX_BODY + " bytes.");
            }
            body = json.readTree(bytes);
        } catch (IOException e) {
            throw ProblemException.badRequest("The body is not valid JSON.");
        }
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object: {\"data_source\",\"from\",\"since\",...}.");
        }
        return body;
    }

    private static String required(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null) {
            throw ProblemException.badRequest("'" + field + "' is required.");
        }
        return v;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ProblemException.badRequest("'" + field + "' must be a non-empty string.");
        }
        return n.asText().trim();
    }

    private static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("'" + field + "' must be an RFC 3339 time such as 2026-12-01T10:00:00Z, not '"
                    + text + "'.");
        }
    }
}
