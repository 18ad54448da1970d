package io.ingesthub.ops;

import io.ingesthub.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles the operator login per username and client address: after {@code maxFailures} failed sign-ins within
 * {@code window} (Basic or form), that pair gets 429 with {@code Retry-After} before its credentials are checked.
 */
class OperatorLoginThrottle implements ApplicationListener<AbstractAuthenticationEvent> {

    private final LoginThrottle throttle;

    OperatorLoginThrottle(int maxFailures, Duration window) {
        this.throttle = new LoginThrottle(maxFailures, window, Clock.systemUTC());
    }

    @Override
    public void onApplicationEvent(AbstractAuthenticationEvent event) {
        if (!(event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details)) {
            return;
        }
        String key = key(event.getAuthentication().getName(), details.getRemoteAddress());
        if (event instanceof AbstractAuthenticationFailureEvent) {
            throttle.failed(key);
        } else if (event instanceof AuthenticationSuccessEvent) {
            throttle.succeeded(key);
        }
    }

    /** The filter that answers 429 to a throttled username and address; goes before the authentication filters. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String username = username(request);
                long wait = username == null ? 0 : throttle.retryAfterSeconds(key(username, request.getRemoteAddr()));
                if (wait > 0) {
                    response.setStatus(429);
                    response.setHeader("Retry-After", Long.toString(wait));
                    response.setContentType("application/problem+json");
                    response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\","
                            + "\"status\":429,\"detail\":\"Too many failed operator sign-ins for this username from "
                            + "this address; retry in " + wait + " s.\"}").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private static String key(String username, String address) {
        return username + "@" + address;
    }

    /** The username a request signs in with: from HTTP Basic, or the login form's POST; {@code null} if none. */
    private static String username(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            return request.getParameter("username");
        }
        return null;
    }
}
