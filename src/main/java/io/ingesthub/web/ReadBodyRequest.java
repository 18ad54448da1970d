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
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A request whose body {@link BoundedBody} read within its limits before it went on; a decoded body no longer
 * declares its {@code Content-Encoding}, so nothing decodes it twice.
 */
public final class ReadBodyRequest extends HttpServletRequestWrapper {

    private static final String CONTENT_ENCODING = "Content-Encoding";

    private final byte[] body;
    private final boolean decoded;

    ReadBodyRequest(HttpServletRequest request, byte[] body, boolean decoded) {
        super(request);
        this.body = body;
        this.decoded = decoded;
    }

    /** The body as read (decoded). */
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
    public String getHeader(String name) {
        if (decoded && CONTENT_ENCODING.equalsIgnoreCase(name)) {
            return null;
        }
        if ("Content-Length".equalsIgnoreCase(name)) {
            return Integer.toString(body.length);
        }
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (decoded && CONTENT_ENCODING.equalsIgnoreCase(name)) {
            return Collections.emptyEnumeration();
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (!decoded) {
            return super.getHeaderNames();
        }
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(CONTENT_ENCODING::equalsIgnoreCase);
        return Collections.enumeration(names);
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
