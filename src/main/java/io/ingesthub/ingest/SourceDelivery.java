package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.HubProperties;
import io.ingesthub.ops.HubMetrics;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.sources.DeliveryIdSource;
import io.ingesthub.sources.DeliveryIds;
import io.ingesthub.sources.Headers;
import io.ingesthub.sources.Scheme;
import io.ingesthub.sources.SignatureVerifier;
import io.ingesthub.sources.Verification;
import io.ingesthub.web.HttpAnswer;
import io.ingesthub.web.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The first and last steps of {@code POST /sources/{data-source}}: finds the data source, verifies the signature on
 * the raw bytes before anything parses them, answers a redelivery with its earlier answer, and hands the parsed
 * delivery to its source route; afterwards remembers the answer under the delivery id.
 */
@Component("sourceDelivery")
public class SourceDelivery {

    /** How long and how many delivery ids a replica remembers; senders redeliver within hours, not days. */
    static final Duration DELIVERY_ID_TTL = Duration.ofHours(24);
    static final int DELIVERY_ID_CAPACITY = 100_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String AUTHENTICATE = "WWW-Authenticate";

    /** What a delivery was answered, kept to answer its redelivery the same way. */
    record Answer(int status, String contentType, String ingestId, byte[] body) {}

    private final TenantRegistry registry;
    private final RequestReader reader;
    private final HubMetrics metrics;
    private final IngestFinish finish;
    private final String defaultTenant;
    private final SignatureVerifier verifier = new SignatureVerifier(Clock.systemUTC());
    private final DeliveryIds<Answer> answered = new DeliveryIds<>(Clock.systemUTC(), DELIVERY_ID_TTL,
            DELIVERY_ID_CAPACITY);
    private final Map<String, Expression> idPaths = new ConcurrentHashMap<>();

    public SourceDelivery(TenantRegistry registry, RequestReader reader, HubMetrics metrics, IngestFinish finish,
                          HubProperties hub) {
        this.registry = registry;
        this.reader = reader;
        this.metrics = metrics;
        this.finish = finish;
        this.defaultTenant = hub.defaultTenant();
    }

    /**
     * Opens the request's context, verifies the delivery, and either answers a redelivery (and stops the route) or
     * leaves the parsed delivery as the body and its source in the variable {@code source}.
     */
    public void receive(Exchange exchange) {
        Message in = exchange.getIn();
        String path = in.getHeader(Exchange.HTTP_URI, String.class);
        String name = in.getHeader("dataSource", String.class);
        IngestContext ctx = new IngestContext(path != null ? path : "/sources/" + name, null);
        exchange.setVariable(IngestContext.VARIABLE, ctx);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!json(contentType)) {
            throw ProblemException.unsupportedMediaType(contentType == null
                    ? "The delivery has no Content-Type; set the sender to application/json."
                    : "Content-Type '" + contentType + "' is not JSON; set the sender to application/json.");
        }

        Registry current = registry.current();
        String tenant = current.tenantForHost(in.getHeader("Host", String.class), defaultTenant);
        Registry.Tenant t = current.tenant(tenant);
        Registry.DataSource ds = name == null || !NAME.matcher(name).matches() || t == null ? null : t.dataSource(name);
        if (ds == null) {
            throw new ProblemException(404, "unknown-data-source", "Unknown data source",
                    "This hub has no data source by that name for this host's tenant; the URL is /sources/<data-source> "
                            + "with the name from the registry.");
        }
        if (ds.source() == null || ds.verify() == null) {
            throw new ProblemException(404, "not-a-source", "Not a source data source",
                    "Data source '" + ds.name() + "' takes no source deliveries: its registry entry needs 'source:' and "
                            + "'verify:'. Send its records to the ingestion endpoints instead.");
        }
        if (exchange.getContext().getRoute("source-" + ds.source()) == null) {
            throw new ProblemException(500, "source-route-missing", "Source route missing",
                    "Data source '" + ds.name() + "' names source '" + ds.source()
                            + "', but routes/sources/" + ds.source() + ".camel.yaml is not loaded.");
        }
        ctx.caller(tenant, "source:" + ds.name(), ds.name(), ds.mappings());

        byte[] raw = reader.bytes(in);
        Headers headers = header -> single(in, header);
        Verification v = repeated(in, ds.verify().scheme());
        if (v == null) {
            v = verifier.verify(ds.verify(), raw, headers);
        }
        metrics.sourceVerification(tenant, ds.name(), v.outcome().label(), v.secretId());
        if (!v.verified()) {
            metrics.authFailure("unauthorized");
            throw unauthorized(ds, v);
        }

        DeliveryIdSource idSource = ds.deliveryId();
        String deliveryId = idSource == null ? null : idSource.fromHeaders(headers);
        for (String header : ds.verify().scheme().headers()) {
            in.removeHeader(header);
        }
        in.removeHeader("Authorization");
        in.removeHeader(Exchange.HTTP_QUERY);
        in.removeHeader(Exchange.HTTP_RAW_QUERY);

        if (ds.archive()) {
            // Verified bytes as the sender signed them, kept for the raw archive (no credential is in the body).
            ctx.body(raw, in.getHeader(Exchange.CONTENT_TYPE, String.class));
        }
        in.setBody(raw);
        List<JsonNode> read = reader.records(in);
        if (read.size() != 1 || firstNonBlank(raw) != '{') {
            throw ProblemException.badRequest("A source delivery is one JSON object; this body is a JSON array.");
        }
        JsonNode delivery = read.get(0);
        in.setBody(delivery);
        if (idSource != null && idSource.kind() == DeliveryIdSource.Kind.JSONPATH) {
            deliveryId = jsonPathId(exchange, idSource.where());
        }
        ctx.deliveryId(deliveryId);
        ctx.records(List.of(new RecordOutcome(0, delivery)));

        Answer earlier = deliveryId == null ? null : answered.earlier(tenant, ds.name(), deliveryId);
        if (earlier != null) {
            Message out = exchange.getMessage();
            HttpAnswer.write(out, earlier.status(), earlier.contentType(), earlier.body());
            out.setHeader("X-Ingest-Id", earlier.ingestId());
            out.setHeader("X-Hub-Redelivery", "true");
            ctx.records(List.of());
            finish.finish(ctx, earlier.status());
            exchange.setRouteStop(true);
            return;
        }
        exchange.setVariable("source", ds.source());
    }

    /**
     * After the source route answered: drops the sender's headers from the answer and remembers a 2xx answer under
     * the delivery id, so a redelivery gets it again.
     */
    public void remember(Exchange exchange) {
        Message out = exchange.getMessage();
        Object status = out.getHeader(Exchange.HTTP_RESPONSE_CODE);
        String contentType = out.getHeader(Exchange.CONTENT_TYPE, String.class);
        Object ingestId = out.getHeader("X-Ingest-Id");
        int code = status instanceof Number n ? n.intValue() : 200;
        byte[] body = out.getBody(byte[].class);
        HttpAnswer.write(out, code, contentType, body);
        out.setHeader("X-Ingest-Id", ingestId);
        IngestContext ctx = IngestContext.of(exchange);
        if (ctx.deliveryId() != null && code >= 200 && code < 300 && body != null) {
            answered.remember(ctx.tenant(), ctx.dataSource(), ctx.deliveryId(),
                    new Answer(code, String.valueOf(contentType), String.valueOf(ingestId), body));
        }
    }

    /** A header's one value; a header sent several times is returned as {@code null} only by {@link #repeated}. */
    private static String single(Message in, String name) {
        Object value = in.getHeader(name);
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? null : String.valueOf(c.iterator().next());
        }
        return value == null ? null : value.toString();
    }

    /** A scheme header sent more than once is refused: which copy was meant to be checked is not for the hub to guess. */
    private static Verification repeated(Message in, Scheme scheme) {
        for (String header : scheme.headers()) {
            if (in.getHeader(header) instanceof Collection<?> c && c.size() > 1) {
                return new Verification(Verification.Outcome.MALFORMED, null,
                        "header " + header + " is sent more than once");
            }
        }
        return null;
    }

    private static ProblemException unauthorized(Registry.DataSource ds, Verification v) {
        String slug = switch (v.outcome()) {
            case MISSING_HEADER -> "signature-missing";
            case STALE, FUTURE -> "signature-stale";
            default -> "signature-invalid";
        };
        String title = switch (v.outcome()) {
            case MISSING_HEADER -> "Signature missing";
            case STALE, FUTURE -> "Signature timestamp out of tolerance";
            default -> "Signature invalid";
        };
        Scheme scheme = ds.verify().scheme();
        Map<String, String> headers = scheme instanceof Scheme.Basic
                ? Map.of(AUTHENTICATE, "Basic realm=\"ingest-hub\"")
                : scheme instanceof Scheme.HeaderToken token && token.prefix().trim().equalsIgnoreCase("Bearer")
                        ? Map.of(AUTHENTICATE, "Bearer")
                        : Map.of();
        return new ProblemException(401, slug, title, "The delivery to data source '" + ds.name()
                + "' is not verified (" + ds.verify().name() + "): " + v.detail() + ".", headers);
    }

    private String jsonPathId(Exchange exchange, String where) {
        Expression e = idPaths.computeIfAbsent(where, w -> {
            Expression created = exchange.getContext().resolveLanguage("jsonpath").createExpression(w);
            created.init(exchange.getContext());
            return created;
        });
        try {
            String id = e.evaluate(exchange, String.class);
            return id == null || id.isBlank() ? null : id;
        } catch (RuntimeException notThere) {
            return null;
        }
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static int firstNonBlank(byte[] raw) {
        for (byte b : raw) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB
                    && b != (byte) 0xBF) {
                return b;
            }
        }
        return -1;
    }
}
