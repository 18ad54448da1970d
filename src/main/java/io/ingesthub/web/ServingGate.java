package io.ingesthub.web;

import io.ingesthub.Endpoint;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} on every webhook path, {@code /sources/*} and the token endpoint until the
 * application is ready (every route up) and again from the moment it begins to stop, so a sender never sees the 404
 * of a route that does not exist yet or any more.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class ServingGate extends OncePerRequestFilter {

    static final String TOKEN_PATH = "/tenant-users/oauth2/token";

    private final Set<String> webhookPaths;
    private final long retryAfterSeconds;
    private volatile boolean open;

    @Autowired
    public ServingGate(@Value("${hub.limits.retry-after:1s}") Duration retryAfter) {
        this(Endpoint.table().stream().map(Endpoint::path).collect(Collectors.toUnmodifiableSet()), retryAfter);
    }

    ServingGate(Set<String> webhookPaths, Duration retryAfter) {
        this.webhookPaths = webhookPaths;
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    @EventListener(ApplicationReadyEvent.class)
    public void open() {
        open = true;
    }

    @EventListener(ContextClosedEvent.class)
    public void close() {
        open = false;
    }

    public boolean isOpen() {
        return open;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (open) {
            return true;
        }
        String path = RoutedPath.of(request);
        return !(webhookPaths.contains(path) || path.startsWith("/sources/") || path.equals(TOKEN_PATH));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RoutedPath.of(request);
        String ingestId = IngestIds.next();
        response.setStatus(503);
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setHeader("Connection", "close");
        response.setHeader("X-Ingest-Id", ingestId);
        String detail = "The hub is starting or stopping; retry shortly.";
        String body;
        if (path.equals(TOKEN_PATH)) {
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            body = "{\"error\":\"temporarily_unavailable\",\"error_description\":\"" + detail + "\"}";
        } else {
            response.setContentType("application/problem+json");
            body = "{\"type\":\"/problems/service-unavailable\",\"title\":\"Service unavailable\",\"status\":503,"
                    + "\"detail\":\"" + detail + "\",\"instance\":\"" + jsonText(path) + "\",\"ingest_id\":\""
                    + ingestId + "\"}";
        }
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
