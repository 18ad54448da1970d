package io.ingesthub.web;

import io.ingesthub.HubProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission control for the ingestion endpoints, before any byte of the body is read: refuses a declared body over
 * {@code hub.limits.max-body-bytes} (413), caps a chunked body at the same size while it streams, and bounds the
 * requests in flight at {@code hub.limits.max-in-flight} (503 with {@code Retry-After} beyond).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AdmissionFilter extends OncePerRequestFilter {

    /** The ingestion paths of the HTTP contract; everything else passes untouched. */
    public static final Set<String> INGEST_PATHS = Set.of("/alerts", "/changes", "/conversations",
            "/knowledge-articles", "/incidents", "/requests", "/requestitems", "/request-items", "/problems");

    private final long maxBodyBytes;
    private final Semaphore inFlight;
    private final long retryAfterSeconds;
    private final Problems problems;

    public AdmissionFilter(HubProperties hub, Problems problems) {
        this.maxBodyBytes = hub.limits().maxBodyBytes().toBytes();
        this.inFlight = new Semaphore(hub.limits().maxInFlight());
        this.retryAfterSeconds = Math.max(1, hub.limits().retryAfter().toSeconds());
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !INGEST_PATHS.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            refuse(request, response, ProblemException.tooLarge(tooLarge()));
            return;
        }
        if (!inFlight.tryAcquire()) {
            refuse(request, response, ProblemException.unavailable(
                    "Too many requests in flight (hub.limits.max-in-flight); retry shortly.", retryAfterSeconds));
            return;
        }
        try {
            chain.doFilter(declared >= 0 ? request : new LimitedRequest(request, maxBodyBytes, tooLarge()), response);
        } finally {
            inFlight.release();
        }
    }

    private String tooLarge() {
        return "The body is larger than " + maxBodyBytes + " bytes (hub.limits.max-body-bytes).";
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, ProblemException problem)
            throws IOException {
        String ingestId = io.ingesthub.ingest.IngestIds.next();
        response.setStatus(problem.status());
        response.setContentType(Problems.CONTENT_TYPE);
        response.setHeader("X-Ingest-Id", ingestId);
        problem.headers().forEach(response::setHeader);
        if (problem.status() == 413) {
            response.setHeader("Connection", "close");
        }
        response.getOutputStream().write(problems.render(problem, request.getRequestURI(), ingestId));
    }

    /** A request whose body stream fails with {@link BodyTooLargeException} once it passes the limit. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private final String message;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit, String message) {
            super(request);
            this.limit = limit;
            this.message = message;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit, message);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private final String message;
        private long read;

        LimitedStream(ServletInputStream in, long limit, String message) {
            this.in = in;
            this.limit = limit;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(message);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
