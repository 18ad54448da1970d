package io.ingesthub.tokens;

import io.ingesthub.web.BoundedBody;
import io.ingesthub.web.ProblemException;
import io.ingesthub.web.ReadBodyRequest;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of a token request, on the path as the router sees it, at {@value #MAX_BYTES} bytes (a grant is a
 * few hundred) through the shared {@link BoundedBody} reader (decoded size, read deadline), answering in the
 * RFC 6749 error format, and refuses a form body that is not correctly URL-encoded (400).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class TokenRequestLimit extends OncePerRequestFilter {

    static final String PATH = "/tenant-users/oauth2/token";
    static final int MAX_BYTES = 16 * 1024;

    private final Duration bodyReadTimeout;

    public TokenRequestLimit(@Value("${hub.limits.body-read-timeout:10s}") Duration bodyReadTimeout) {
        this.bodyReadTimeout = bodyReadTimeout;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !PATH.equals(RoutedPath.of(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            refuse(response, 413, "The body is larger than " + MAX_BYTES + " bytes.");
            return;
        }
        boolean form = request.getContentType() != null
                && request.getContentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        HttpServletRequest admitted;
        try {
            // Buffered unless declared and not a form: the HTTP binding reads a form or chunked body whole.
            admitted = BoundedBody.admit(request, MAX_BYTES, null, bodyReadTimeout,
                    form || request.getContentLengthLong() < 0);
        } catch (ProblemException refused) {
            refuse(response, refused.status(), refused.detail());
            return;
        } catch (IOException unreadable) {
            refuse(response, 400, "The body could not be read: the upload broke off.");
            return;
        }
        // The HTTP binding decodes a form body before the route runs and fails on a bad escape: refuse it here.
        if (form && admitted instanceof ReadBodyRequest read
                && !decodable(new String(read.body(), StandardCharsets.ISO_8859_1))) {
            refuse(response, 400, "The form body is not correctly URL-encoded.");
            return;
        }
        chain.doFilter(admitted, response);
    }

    private static boolean decodable(String form) {
        try {
            URLDecoder.decode(form, StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response, int status, String description) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Connection", "close");
        response.getOutputStream().write(("{\"error\":\"invalid_request\",\"error_description\":\"" + description
                + "\"}").getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
