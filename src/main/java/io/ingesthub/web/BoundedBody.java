package io.ingesthub.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The one bounded body reader of the hub's POST endpoints: decodes {@code Content-Encoding: gzip} (any other coding is
 * 415, a broken one 400), counts the decoded bytes against a limit as they stream (413 past it) and gives the whole
 * body a read deadline from its first byte (408 past it); a refusal is thrown as a {@link ProblemException}.
 */
public final class BoundedBody {

    private BoundedBody() {}

    /**
     * The request to go on with: its body read now within {@code maxBytes} (the setting {@code limitName}, if any)
     * when {@code buffer} is set or the body is compressed (a {@link ReadBodyRequest}), otherwise streamed under the
     * deadline.
     */
    public static HttpServletRequest admit(HttpServletRequest request, long maxBytes, String limitName,
                                           Duration deadline, boolean buffer) throws IOException {
        boolean gzip = gzip(request);
        DeadlineStream timed = new DeadlineStream(request.getInputStream(), deadline);
        if (!gzip && !buffer) {
            return new StreamingRequest(request, timed);
        }
        InputStream in = timed;
        try {
            if (gzip) {
                in = new GZIPInputStream(timed, 8192);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw ProblemException.tooLarge("The " + (gzip ? "decoded " : "") + "body is larger than " + maxBytes
                        + " bytes" + (limitName == null ? "." : " (" + limitName + ")."));
            }
            return new ReadBodyRequest(request, body, gzip);
        } catch (ZipException | EOFException broken) {
            throw ProblemException.badRequest("The body is not valid " + (gzip ? "gzip (Content-Encoding: gzip)"
                    : "framing") + ": it ends early or is corrupt.");
        }
    }

    /** Whether the body is gzip; any coding other than gzip or identity is refused with 415. */
    private static boolean gzip(HttpServletRequest request) {
        boolean gzip = false;
        for (Enumeration<String> e = request.getHeaders("Content-Encoding"); e != null && e.hasMoreElements(); ) {
            for (String coding : e.nextElement().split(",")) {
                String c = coding.trim().toLowerCase(Locale.ROOT);
                if (c.equals("gzip") || c.equals("x-gzip")) {
                    if (gzip) {
                        throw unsupported();
                    }
                    gzip = true;
                } else if (!c.isEmpty() && !c.equals("identity")) {
                    throw unsupported();
                }
            }
        }
        return gzip;
    }

    private static ProblemException unsupported() {
        return ProblemException.unsupportedMediaType("Content-Encoding must be gzip or none (one coding).");
    }

    /** A body stream that refuses with 408 once the deadline from its first read has passed. */
    static final class DeadlineStream extends InputStream {

        private final InputStream in;
        private final long deadlineNanos;
        private long startedAt;
        private boolean started;

        DeadlineStream(InputStream in, Duration deadline) {
            this.in = in;
            this.deadlineNanos = deadline.toNanos();
        }

        private void check() {
            long now = System.nanoTime();
            if (!started) {
                started = true;
                startedAt = now;
            } else if (now - startedAt > deadlineNanos) {
                throw timeout();
            }
        }

        private ProblemException timeout() {
            return new ProblemException(408, "request-timeout", "Request timeout", "The body did not arrive within "
                    + Duration.ofNanos(deadlineNanos).toMillis() + " ms (hub.limits.body-read-timeout).",
                    java.util.Map.of("Connection", "close"));
        }

        @Override
        public int read() throws IOException {
            check();
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                throw timeout();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            try {
                int n = in.read(b, off, len);
                if (n > 0 && System.nanoTime() - startedAt > deadlineNanos) {
                    throw timeout();
                }
                return n;
            } catch (SocketTimeoutException e) {
                throw timeout();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A request whose body streams through a {@link DeadlineStream}. */
    private static final class StreamingRequest extends HttpServletRequestWrapper {

        private final ServletInputStream body;

        StreamingRequest(HttpServletRequest request, DeadlineStream in) throws IOException {
            super(request);
            ServletInputStream original = request.getInputStream();
            this.body = new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return original.isFinished();
                }

                @Override
                public boolean isReady() {
                    return original.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is read blocking, under a deadline");
                }
            };
        }

        @Override
        public ServletInputStream getInputStream() {
            return body;
        }

        @Override
        public BufferedReader getReader() {
            String charset = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(body,
                    charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset)));
        }
    }
}
