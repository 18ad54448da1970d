package io.ingesthub.ingest;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import io.ingesthub.web.ProblemException;
import io.ingesthub.web.ReadBodyRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission control for the webhook endpoints the running routes serve and the mapping preview: refuses a body that is not declared JSON
 * (415) and a declared body over {@code hub.limits.max-body-bytes} (413) before reading any of it, reads a chunked
 * body only up to that size (413 past it), and bounds the requests in flight at {@code hub.limits.max-in-flight}
 * (503 with {@code Retry-After} beyond).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AdmissionFilter extends OncePerRequestFilter {

    /** The mapping preview takes sample bodies like an ingestion endpoint and is bounded the same way. */
    static final Pattern PREVIEW_PATH = Pattern.compile("/admin/mappings/[^/]+/[^/]+/preview");

    private final long maxBodyBytes;
    private final Semaphore inFlight;
    private final long retryAfterSeconds;
    private final Problems problems;
    private final IngestFinish finish;
    private final WebhookEndpoints endpoints;

    public AdmissionFilter(HubProperties hub, Problems problems, IngestFinish finish, WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
        this.maxBodyBytes = hub.limits().maxBodyBytes().toBytes();
        this.inFlight = new Semaphore(hub.limits().maxInFlight());
        this.retryAfterSeconds = Math.max(1, hub.limits().retryAfter().toSeconds());
        this.problems = problems;
        this.finish = finish;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !"POST".equals(request.getMethod())
                || !(endpoints.at(path) != null || PREVIEW_PATH.matcher(path).matches());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            refuse(request, response, ProblemException.tooLarge(tooLarge()));
            return;
        }
        String contentType = request.getContentType();
        if (!isJson(contentType)) {
            // Refused before anything reads the body: the HTTP binding would otherwise decode a form body on its own.
            refuse(request, response, ProblemException.unsupportedMediaType(contentType == null || contentType.isBlank()
                    ? "The request has no Content-Type; send application/json."
                    : "Content-Type '" + contentType + "' is not JSON; send application/json."));
            return;
        }
        if (!inFlight.tryAcquire()) {
            refuse(request, response, ProblemException.unavailable(
                    "Too many requests in flight (hub.limits.max-in-flight); retry shortly.", retryAfterSeconds));
            return;
        }
        boolean releaseNow = true;
        try {
            HttpServletRequest admitted = request;
            if (declared < 0) {
                admitted = ReadBodyRequest.readWithin(request, maxBodyBytes);
                if (admitted == null) {
                    refuse(request, response, ProblemException.tooLarge(tooLarge()));
                    return;
                }
            }
            chain.doFilter(admitted, response);
            if (request.isAsyncStarted()) {
                // The request goes on on another thread (platform-http answers asynchronously): it stays in flight
                // until that answer is complete.
                request.getAsyncContext().addListener(new ReleaseOnCompletion(inFlight));
                releaseNow = false;
            }
        } finally {
            if (releaseNow) {
                inFlight.release();
            }
        }
    }

    /** Gives the in-flight permit back once, when an asynchronous request ends however it ends. */
    private static final class ReleaseOnCompletion implements AsyncListener {

        private final Semaphore inFlight;
        private final AtomicBoolean released = new AtomicBoolean();

        ReleaseOnCompletion(Semaphore inFlight) {
            this.inFlight = inFlight;
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                inFlight.release();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
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

    private void refuse(HttpServletRequest request, HttpServletResponse response, ProblemException problem)
            throws IOException {
        String path = request.getRequestURI();
        Endpoint endpoint = endpoints.at(path);
        String entity = endpoint == null ? "mapping-preview" : endpoint.entity();
        IngestContext ctx = new IngestContext(path, entity);
        String ingestId = ctx.ingestId();
        response.setStatus(problem.status());
        response.setContentType(Problems.CONTENT_TYPE);
        response.setHeader("X-Ingest-Id", ingestId);
        problem.headers().forEach(response::setHeader);
        if (problem.status() == 413) {
            response.setHeader("Connection", "close");
        }
        response.getOutputStream().write(problems.render(problem, path, ingestId));
        finish.finish(ctx, problem.status(), problem.detail());
    }
}
