package io.ingesthub.ingest;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import io.ingesthub.auth.Authenticator;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.web.BoundedBody;
import io.ingesthub.web.DirectDispatch;
import io.ingesthub.web.ProblemException;
import io.ingesthub.web.RoutedPath;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission control for the webhook endpoints the running routes serve, {@code /sources/*} and the mapping preview,
 * matched on the path as the router sees it: refuses a body that is not declared JSON (415) and a declared body over
 * {@code hub.limits.max-body-bytes} (413) before reading any of it, refuses a webhook call whose app token names no
 * app (401) before its body is read, bounds the requests in flight at {@code hub.limits.max-in-flight} (503 with
 * {@code Retry-After} beyond) and reads the body through {@link BoundedBody} (decoded size, read deadline).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AdmissionFilter extends OncePerRequestFilter {

    /** The mapping preview takes sample bodies like an ingestion endpoint and is bounded the same way. */
    static final Pattern PREVIEW_PATH = Pattern.compile("/admin/mappings/[^/]+/[^/]+/preview");

    /** A source-native webhook: {@code /sources/<data source>}. */
    static final Pattern SOURCE_PATH = Pattern.compile("/sources/[^/]+");

    private final long maxBodyBytes;
    private final Duration bodyReadTimeout;
    private final Semaphore inFlight;
    private final long retryAfterSeconds;
    private final Problems problems;
    private final IngestFinish finish;
    private final WebhookEndpoints endpoints;
    private final TenantRegistry registry;
    private final Authenticator authenticator;
    private final DirectDispatch direct;

    public AdmissionFilter(HubProperties hub, Problems problems, IngestFinish finish, WebhookEndpoints endpoints,
                           TenantRegistry registry, Authenticator authenticator, DirectDispatch direct,
                           @Value("${hub.limits.body-read-timeout:10s}") Duration bodyReadTimeout) {
        this.endpoints = endpoints;
        this.maxBodyBytes = hub.limits().maxBodyBytes().toBytes();
        this.bodyReadTimeout = bodyReadTimeout;
        this.inFlight = new Semaphore(hub.limits().maxInFlight());
        this.retryAfterSeconds = Math.max(1, hub.limits().retryAfter().toSeconds());
        this.problems = problems;
        this.finish = finish;
        this.registry = registry;
        this.authenticator = authenticator;
        this.direct = direct;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return true;
        }
        String path = RoutedPath.of(request);
        return !(endpoints.at(path) != null || PREVIEW_PATH.matcher(path).matches()
                || SOURCE_PATH.matcher(path).matches());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RoutedPath.of(request);
        Endpoint endpoint = endpoints.at(path);
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            refuse(path, response, ProblemException.tooLarge(tooLarge()));
            return;
        }
        String contentType = request.getContentType();
        if (!isJson(contentType)) {
            // Refused before anything reads the body: the HTTP binding would otherwise decode a form body on its own.
            refuse(path, response, ProblemException.unsupportedMediaType(contentType == null || contentType.isBlank()
                    ? "The request has no Content-Type; send application/json."
                    : "Content-Type '" + contentType + "' is not JSON; send application/json."));
            return;
        }
        try {
            if (endpoint != null) {
                checkAppToken(request, path, endpoint);
            }
        } catch (ProblemException refused) {
            refuse(path, response, refused);
            return;
        }
        if (!inFlight.tryAcquire()) {
            refuse(path, response, ProblemException.unavailable(
                    "Too many requests in flight (hub.limits.max-in-flight); retry shortly.", retryAfterSeconds));
            return;
        }
        try {
            HttpServletRequest admitted;
            try {
                admitted = BoundedBody.admit(request, maxBodyBytes, "hub.limits.max-body-bytes", bodyReadTimeout,
                        declared < 0);
            } catch (ProblemException refused) {
                refuse(path, response, refused);
                return;
            } catch (IOException unreadable) {
                refuse(path, response, ProblemException.badRequest("The body could not be read: the upload broke off."));
                return;
            }
            // The route runs on this thread to the end of its answer, so the permit is held exactly as long as its work.
            if (!direct.serve(admitted, response)) {
                chain.doFilter(admitted, response);
            }
        } finally {
            inFlight.release();
        }
    }

    /**
     * Refuses, before any of the body is read, a call whose app token (header or the endpoint's query parameter) names
     * no app: the {@link Authenticator} says why, as the pipeline would.
     */
    private void checkAppToken(HttpServletRequest request, String path, Endpoint endpoint) {
        String header = request.getHeader("x-app-token");
        String query = request.getQueryString();
        String token = header != null && !header.isEmpty() ? header
                : queryValue(query, endpoint.keyFamily() ? "apptoken" : "at");
        if (token != null && registry.current().appByToken(token) != null) {
            return;
        }
        authenticator.authenticate(new Authenticator.Credentials(endpoint.keyFamily(), path, header,
                request.getHeader("Authorization"), request.getHeader("Host"), query));
        throw new ProblemException(401, "unauthorized", "Unauthorized", "The app token is not valid.");
    }

    private static String queryValue(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equalsIgnoreCase(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException badEscape) {
                return null;
            }
        }
        return null;
    }

    /** {@code application/json} or an {@code application/*+json} type, with any parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private String tooLarge() {
        return "The body is larger than " + maxBodyBytes + " bytes (hub.limits.max-body-bytes).";
    }

    private void refuse(String path, HttpServletResponse response, ProblemException problem) throws IOException {
        Endpoint endpoint = endpoints.at(path);
        String entity = endpoint != null ? endpoint.entity()
                : SOURCE_PATH.matcher(path).matches() ? "sources" : "mapping-preview";
        IngestContext ctx = new IngestContext(path, entity);
        String ingestId = ctx.ingestId();
        response.setStatus(problem.status());
        response.setContentType(Problems.CONTENT_TYPE);
        response.setHeader("X-Ingest-Id", ingestId);
        problem.headers().forEach(response::setHeader);
        // The body is not read (or not all of it): close rather than drain what a stranger may still be sending.
        response.setHeader("Connection", "close");
        response.getOutputStream().write(problems.render(problem, path, ingestId));
        response.flushBuffer();
        finish.finish(ctx, problem.status(), problem.detail());
    }
}
