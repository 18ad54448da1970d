package io.ingesthub.tokens;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import io.ingesthub.HubProperties;
import io.ingesthub.ops.HubMetrics;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.StoredSecret;
import io.ingesthub.registry.TenantRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.stereotype.Component;

/**
 * The OAuth2 token endpoint ({@code POST /tenant-users/oauth2/token}): the {@code password} grant for a service
 * account of the app's tenant and the rotating {@code refresh_token} grant, from a JSON or form body, answering
 * RFC 6749 JSON with {@code Cache-Control: no-store}. Never logs or echoes a token, password or app token.
 */
@Component("tokenEndpoint")
public class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final String SERVLET_RESPONSE = "CamelHttpServletResponse";
    /** Checked for unknown usernames so that they cost as much time as a bcrypt password. */
    private static final StoredSecret UNKNOWN_USER = StoredSecret.parse("{bcrypt}" + BCrypt.hashpw("", BCrypt.gensalt(10)));

    private final TenantRegistry registry;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final ObjectMapper json;
    private final String defaultTenant;
    private final HubMetrics metrics;

    public TokenEndpoint(TenantRegistry registry, TokenService tokens, TokenProperties properties, ObjectMapper json,
                         HubProperties hub, HubMetrics metrics) {
        this.registry = registry;
        this.tokens = tokens;
        this.throttle = new LoginThrottle(properties.loginThrottle().maxFailures(), properties.loginThrottle().window(),
                Clock.systemUTC());
        this.json = json;
        this.defaultTenant = hub.defaultTenant();
        this.metrics = metrics;
    }

    /**
     * Entry point of the {@code token} route: reads the grant request and writes the answer; a refusal is thrown as
     * an {@link OAuthError} for the route's {@code oauth-errors} configuration to answer with {@link #refuse}.
     */
    public void grant(Exchange exchange) {
        Message in = exchange.getIn();
        String host = in.getHeader("Host", String.class);
        Map<String, String> params = parameters(in);
        String grantType = params.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            throw OAuthError.invalidRequest("grant_type is missing; use password or refresh_token.");
        }
        TokenService.Issued issued = switch (grantType) {
            case "password" -> password(params, host);
            case "refresh_token" -> refresh(params, host);
            default -> throw OAuthError.unsupportedGrantType("grant_type must be password or refresh_token.");
        };
        write(exchange, 200, success(issued), Map.of());
    }

    /**
     * The error answer of the token route (RFC 6749 §5.2): an {@link OAuthError} as it says, anything else as
     * {@code server_error} without its text.
     */
    public void refuse(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof OAuthError e) {
            LOG.info("Token request refused: {} {} ({})", e.status(), e.error(), e.description());
            metrics.authFailure("token_" + e.error());
            write(exchange, e.status(), error(e.error(), e.description()), e.headers());
        } else {
            LOG.error("Token request failed unexpectedly: {}", cause == null ? "unknown" : cause.getClass().getName());
            write(exchange, 500, error("server_error", "The hub could not answer the token request."), Map.of());
        }
    }

    private TokenService.Issued password(Map<String, String> p, String host) {
        Registry current = registry.current();
        Registry.App app = client(current, p, host);
        String username = required(p, "username");
        String password = required(p, "password");
        String throttleKey = app.tenant() + "/" + username;
        long wait = throttle.retryAfterSeconds(throttleKey);
        if (wait > 0) {
            throw OAuthError.throttled(wait);
        }
        Registry.ServiceAccount account = current.tenant(app.tenant()).serviceAccount(username);
        boolean matches;
        if (account == null) {
            UNKNOWN_USER.matches(password);
            matches = false;
        } else {
            matches = account.password().matches(password) && account.enabled();
        }
        if (!matches) {
            throttle.failed(throttleKey);
            throw OAuthError.invalidGrant("The username or password is not valid for this tenant, "
                    + "or the service account is disabled.");
        }
        throttle.succeeded(throttleKey);
        LOG.info("Issued tokens: grant=password tenant={} app={} account={}", app.tenant(), app.name(), username);
        metrics.tokenIssued(app.tenant());
        return tokens.issue(app, account);
    }

    private TokenService.Issued refresh(Map<String, String> p, String host) {
        Registry current = registry.current();
        Registry.App app = client(current, p, host);
        String refreshToken = required(p, "refresh_token");
        try {
            TokenService.Claims claims = tokens.verifyRefresh(refreshToken);
            if (!claims.tenant().equals(app.tenant()) || !claims.app().equals(app.name())) {
                throw OAuthError.invalidGrant("The refresh token was issued to another client.");
            }
            Registry.ServiceAccount account = current.tenant(app.tenant()).serviceAccount(claims.account());
            if (account == null || !tokens.current(claims, account)) {
                throw OAuthError.invalidGrant("The refresh token was revoked: its service account was removed, "
                        + "disabled or given a new password.");
            }
            TokenService.Issued issued = tokens.rotate(claims, app, account);
            LOG.info("Issued tokens: grant=refresh_token tenant={} app={} account={}", app.tenant(), app.name(),
                    account.username());
            metrics.tokenIssued(app.tenant());
            return issued;
        } catch (InvalidTokenException e) {
            throw OAuthError.invalidGrant(e.getMessage());
        }
    }

    /** The app whose token is the {@code client_id}, if it belongs to the tenant the request is addressed to. */
    private Registry.App client(Registry current, Map<String, String> p, String host) {
        Registry.App app = current.appByToken(required(p, "client_id"));
        if (app == null || !app.tenant().equals(current.tenantForHost(host, defaultTenant))) {
            throw OAuthError.invalidClient("The client_id is not an app token of this tenant.");
        }
        return app;
    }

    private static String required(Map<String, String> p, String name) {
        String value = p.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthError.invalidRequest(name + " is missing.");
        }
        return value;
    }

    /** The request's parameters from a JSON object or a form body; each may appear once. */
    private Map<String, String> parameters(Message in) {
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json")) {
            return fromJson(in.getBody(String.class));
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return fromForm(in.getBody(String.class));
        }
        throw OAuthError.invalidRequest("Send the parameters as application/x-www-form-urlencoded or application/json.");
    }

    private Map<String, String> fromJson(String text) {
        if (text == null || text.isBlank()) {
            throw OAuthError.invalidRequest("The body is empty.");
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw OAuthError.invalidRequest("The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw OAuthError.invalidRequest("The body must be a JSON object.");
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw OAuthError.invalidRequest(e.getKey() + " must be a string.");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Map<String, String> fromForm(String text) {
        if (text == null || text.isBlank()) {
            throw OAuthError.invalidRequest("The body is empty.");
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidRequest("The form body is not correctly URL-encoded.");
            }
            if (out.put(name, value) != null) {
                throw OAuthError.invalidRequest(name + " is given more than once.");
            }
        }
        return out;
    }

    private byte[] success(TokenService.Issued issued) {
        return render(g -> {
            g.writeStringField("access_token", issued.accessToken());
            g.writeStringField("refresh_token", issued.refreshToken());
            g.writeStringField("token_type", "bearer");
            g.writeNumberField("expires_in", issued.expiresIn());
        });
    }

    private byte[] error(String error, String description) {
        return render(g -> {
            g.writeStringField("error", error);
            g.writeStringField("error_description", description);
        });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] render(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the answer; drops every request header first, so no parameter can be echoed back. Camel's HTTP header
     * filter drops {@code Cache-Control} and {@code Pragma} from messages, so they go on the servlet response itself.
     */
    private static void write(Exchange exchange, int status, byte[] body, Map<String, String> headers) {
        HttpServletResponse response = exchange.getIn().getHeader(SERVLET_RESPONSE, HttpServletResponse.class);
        if (response != null) {
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Pragma", "no-cache");
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        headers.forEach(out::setHeader);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body);
    }
}
