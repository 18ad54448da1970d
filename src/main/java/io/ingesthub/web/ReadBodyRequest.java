package io.ingesthub.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.io.IOException;

/**
 * A chunked request whose body was read up to a limit before it went on, so that a body without a declared length
 * is still bounded; {@link #readWithin} does the reading.
 */
public final class ReadBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    private ReadBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /** Reads at most {@code maxBytes} of the body: the request to go on with, or {@code null} when the body is larger. */
    public static ReadBodyRequest readWithin(HttpServletRequest request, long maxBytes) throws IOException {
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        return body.length > maxBytes ? null : new ReadBodyRequest(request, body);
    }

    /** The body as read. */
    public byte[] body() {
        return body;
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body is already read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        String charset = getCharacterEncoding();
        return new BufferedReader(new InputStreamReader(getInputStream(),
                charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset)));
    }
}
