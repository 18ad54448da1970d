package io.ingesthub.tokens;

import io.ingesthub.web.ReadBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of a token request at {@value #MAX_BYTES} bytes (a grant is a few hundred), answering 413 in the
 * RFC 6749 error format before more is read.
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
            refuse(response);
            return;
        }
        if (request.getContentLengthLong() >= 0) {
            chain.doFilter(request, response);
            return;
        }
        ReadBodyRequest read = ReadBodyRequest.readWithin(request, MAX_BYTES);
        if (read == null) {
            refuse(response);
            return;
        }
        chain.doFilter(read, response);
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(413);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Connection", "close");
        response.getOutputStream().write(("{\"error\":\"invalid_request\",\"error_description\":\"The body is larger than "
                + MAX_BYTES + " bytes.\"}").getBytes(StandardCharsets.UTF_8));
    }
}
