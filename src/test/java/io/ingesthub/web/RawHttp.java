package io.ingesthub.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP/1.1 exchange over a plain socket, for the framing a normal client will not send; every read has a deadline. */
public final class RawHttp implements AutoCloseable {

    /** A status line and what came after it (headers and body as text), or status 0 when nothing came in time. */
    public record Answer(int status, String text) {}

    private final Socket socket;
    private final OutputStream out;

    public RawHttp(int port, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        out = socket.getOutputStream();
    }

    /** Sends the request line and headers ({@code Host} and {@code Connection: close} added). */
    public RawHttp head(String method, String target, Map<String, String> headers) throws IOException {
        StringBuilder b = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        out.write(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawHttp chunk(byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    public RawHttp lastChunk() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    /** Whether some of the answer has arrived. */
    public boolean answered() throws IOException {
        return socket.getInputStream().available() > 0;
    }

    /** Whatever the server answers until it closes or the read timeout passes. */
    public Answer answer() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                if (got.size() > 1 << 20) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // what came so far is the answer
        } catch (IOException e) {
            // reset after the answer: keep what came
        }
        String text = got.toString(StandardCharsets.ISO_8859_1);
        while (text.startsWith("HTTP/1.1 100") && text.indexOf("\r\n\r\n") > 0) {
            text = text.substring(text.indexOf("\r\n\r\n") + 4);
        }
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            return new Answer(0, text);
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
