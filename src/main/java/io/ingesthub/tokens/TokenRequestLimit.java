package io.ingesthub.tokens;

import io.ingesthub.web.ReadBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of a token request at {@value #MAX_BYTES} bytes (a grant is a few hundred), answering 413 in the
 * RFC 6749 error format before more is read, and refuses a form body that is not correctly URL-encoded (400).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class TokenRequestLimit extends OncePerRequestFilter {

    static final String PATH = "/tenant-users/oauth2/token";
    static final int MAX_BYTES = 16 * 1024;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI());
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
        if (request.getContentLengthLong() >= 0 && !form) {
            chain.doFilter(request, response);
            return;
        }
        ReadBodyRequest read = ReadBodyRequest.readWithin(request, MAX_BYTES);
        if (read == null) {
            refuse(response, 413, "The body is larger than " + MAX_BYTES + " bytes.");
            return;
        }
        // The HTTP binding decodes a form body before the route runs and fails on a bad escape: refuse it here.
        if (form && !decodable(new String(read.body(), StandardCharsets.ISO_8859_1))) {
            refuse(response, 400, "The form body is not correctly URL-encoded.");
            return;
        }
        chain.doFilter(read, response);
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
    }
}
