package io.ingesthub.tokens;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.LoginThrottle;
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
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.stereotype.Component;

/**
 * The grants of the OAuth2 token endpoint — {@code password} for a service account of the app's tenant, the rotating
 * {@code refresh_token} and {@code client_credentials} for an app alone — from a JSON or form body, the client
 * authenticated in the body or by HTTP Basic (RFC 6749 §2.3.1), answered as RFC 6749 JSON. Never logs or echoes a
 * token, password, app token or anything else the caller chose.
 */
@Component
public class TokenGrants {

    private static final Logger LOG = LoggerFactory.getLogger(TokenGrants.class);
    /** Cost of the bcrypt run for a secret that is not bcrypt, equal to the registry's documented {@code -C 10}. */
    static final int DUMMY_COST = 10;
    /** Compared when the stored secret is not bcrypt (or absent), so every sign-in costs one bcrypt of this cost. */
    private static final StoredSecret EQUAL_WORK =
            StoredSecret.parse("{bcrypt}" + BCrypt.hashpw("", BCrypt.gensalt(DUMMY_COST)));

    /** A token request as the HTTP side read it; {@code clientAddress} is the address the throttle keys on. */
    public record Request(String contentType, String body, String host, String authorization, String clientAddress) {}

    /** The answer to write: status, RFC 6749 JSON body and extra headers. */
    public record Answer(int status, byte[] body, Map<String, String> headers) {}

    private final TenantRegistry registry;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final ObjectMapper json;
    private final String defaultTenant;
    private final HubMetrics metrics;
    private final Semaphore signIns;
    private final LongAdder bcryptRuns = new LongAdder();

    public TokenGrants(TenantRegistry registry, TokenService tokens, TokenProperties properties, ObjectMapper json,
                       HubProperties hub, HubMetrics metrics) {
        this.registry = registry;
        this.tokens = tokens;
        this.throttle = new LoginThrottle(properties.loginThrottle().maxFailures(), properties.loginThrottle().window(),
                Clock.systemUTC());
        this.json = json;
        this.defaultTenant = hub.defaultTenant();
        this.metrics = metrics;
        this.signIns = new Semaphore(properties.signInConcurrency());
    }

    /** Answers a token request: the issued tokens, or the RFC 6749 §5.2 error that says why not. */
    public Answer grant(Request request) {
        try {
            Map<String, String> params = parameters(request.contentType(), request.body());
            Client client = Client.of(request.authorization(), params);
            String grantType = params.get("grant_type");
            if (grantType == null || grantType.isBlank()) {
                throw OAuthError.invalidRequest("grant_type is missing; use password, refresh_token or "
                        + "client_credentials.");
            }
            TokenService.Issued issued = switch (grantType) {
                case "password" -> password(params, client, request);
                case "refresh_token" -> refresh(params, client, request);
                case "client_credentials" -> clientCredentials(client, request);
                default -> throw OAuthError.unsupportedGrantType(
                        "grant_type must be password, refresh_token or client_credentials.");
            };
            return new Answer(200, success(issued), Map.of());
        } catch (OAuthError e) {
            // The description may quote a parameter name the caller chose: the log gets the fixed error code only.
            LOG.info("Token request refused: {} {}", e.status(), e.error());
            metrics.authFailure("token_" + e.error());
            return new Answer(e.status(), error(e.error(), e.description()), e.headers());
        }
    }

    /** The answer to a request that failed unexpectedly: {@code server_error}, without the failure's text. */
    public Answer failed(Throwable cause) {
        LOG.error("Token request failed unexpectedly: {}", cause == null ? "unknown" : cause.getClass().getName());
        return new Answer(500, error("server_error", "The hub could not answer the token request."), Map.of());
    }

    /** One bcrypt comparison, counted where it runs. */
    private boolean bcrypt(StoredSecret secret, String presented) {
        bcryptRuns.increment();
        return secret.matches(presented);
    }

    /** How many bcrypt comparisons sign-ins ran: every sign-in attempt that reaches a secret runs exactly one. */
    long bcryptRuns() {
        return bcryptRuns.sum();
    }

    /** The bound on sign-ins at once, for tests that take its permits. */
    Semaphore signIns() {
        return signIns;
    }

    private TokenService.Issued password(Map<String, String> p, Client client, Request request) {
        Registry current = registry.current();
        Registry.App app = client(current, client, request.host(), false);
        String username = required(p, "username");
        String password = required(p, "password");
        String throttleKey = app.tenant() + "/" + username + "@" + address(request);
        Registry.ServiceAccount account = current.tenant(app.tenant()).serviceAccount(username);
        boolean matches = signIn(throttleKey, account == null ? null : account.password(), password)
                && account.enabled();
        if (!matches) {
            throttle.failed(throttleKey);
            throw OAuthError.invalidGrant("The username or password is not valid for this tenant, "
                    + "or the service account is disabled.");
        }
        throttle.succeeded(throttleKey);
        LOG.info("Issued tokens: grant=password tenant={} app={} account={}", app.tenant(), app.name(),
                account.username());
        metrics.tokenIssued(app.tenant());
        return tokens.issue(app, account);
    }

    private TokenService.Issued refresh(Map<String, String> p, Client client, Request request) {
        Registry current = registry.current();
        Registry.App app = client(current, client, request.host(), false);
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

    private TokenService.Issued clientCredentials(Client client, Request request) {
        Registry current = registry.current();
        Registry.App app = client(current, client, request.host(), true);
        if (client.secret() == null || client.secret().isEmpty()) {
            throw OAuthError.invalidClient("client_credentials needs the client_secret, in the body or by HTTP Basic.",
                    client.basic());
        }
        String throttleKey = app.key() + "#client@" + address(request);
        if (!signIn(throttleKey, app.clientSecret(), client.secret())) {
            throttle.failed(throttleKey);
            throw OAuthError.invalidClient("The client_secret is not valid for this client.", client.basic());
        }
        throttle.succeeded(throttleKey);
        LOG.info("Issued tokens: grant=client_credentials tenant={} app={}", app.tenant(), app.name());
        metrics.tokenIssued(app.tenant());
        return tokens.issueForClient(app);
    }

    /**
     * Compares {@code presented} with {@code stored} ({@code null}: no such account) under the throttle and the
     * sign-in bound, with one bcrypt of equal cost whatever is stored, so the answer's time says nothing about it.
     */
    private boolean signIn(String throttleKey, StoredSecret stored, String presented) {
        long wait = throttle.retryAfterSeconds(throttleKey);
        if (wait > 0) {
            throw OAuthError.throttled(wait);
        }
        if (!signIns.tryAcquire()) {
            throw OAuthError.busy(1);
        }
        try {
            if (stored != null && stored.scheme() == StoredSecret.Scheme.BCRYPT) {
                return bcrypt(stored, presented);
            }
            bcrypt(EQUAL_WORK, presented);
            return stored != null && stored.matches(presented);
        } finally {
            signIns.release();
        }
    }

    /**
     * The app whose token is the {@code client_id}, if it belongs to the tenant the request is addressed to; a
     * {@code client_secret} sent with the password or refresh grant must be the app's.
     */
    private Registry.App client(Registry current, Client client, String host, boolean confidential) {
        if (client.id() == null || client.id().isEmpty()) {
            throw OAuthError.invalidRequest("client_id is missing.");
        }
        String tenant = current.tenantForHost(host, defaultTenant);
        if (tenant == null || tenant.isEmpty()) {
            throw OAuthError.invalidClient("The Host names no tenant: its first label must be a tenant of the "
                    + "registry (acme.hub.example.com is tenant acme), and this hub has no default tenant.",
                    client.basic());
        }
        Registry.App app = current.appByToken(client.id());
        if (app == null || !app.tenant().equals(tenant)) {
            throw OAuthError.invalidClient("The client_id is not an app token of this tenant.", client.basic());
        }
        if (confidential && app.clientSecret() == null) {
            throw OAuthError.unauthorizedClient("This app has no client-secret in the registry, so it may not use "
                    + "client_credentials; give it one or use the password grant.");
        }
        if (!confidential && client.secret() != null && !client.secret().isEmpty()
                && (app.clientSecret() == null || !app.clientSecret().matches(client.secret()))) {
            throw OAuthError.invalidClient("The client_secret is not valid for this client.", client.basic());
        }
        return app;
    }

    /** The throttle's notion of the caller's address (the servlet's remote address, see docs/authentication.md). */
    private static String address(Request request) {
        return request.clientAddress() == null ? "-" : request.clientAddress();
    }

    private static String required(Map<String, String> p, String name) {
        String value = p.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthError.invalidRequest(name + " is missing.");
        }
        return value;
    }

    /** The client's id and secret, from HTTP Basic (RFC 6749 §2.3.1) or the body; never both. */
    private record Client(String id, String secret, boolean basic) {

        static Client of(String authorization, Map<String, String> params) {
            if (authorization == null || authorization.isBlank()) {
                return new Client(params.get("client_id"), params.get("client_secret"), false);
            }
            String value = authorization.trim();
            if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw OAuthError.invalidClient("The Authorization header of a token request must use the Basic "
                        + "scheme: base64(urlencode(client_id):urlencode(client_secret)).", true);
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("The Basic credentials are not valid base64.", true);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient("The Basic credentials must be client_id:client_secret.", true);
            }
            if (params.containsKey("client_id") || params.containsKey("client_secret")) {
                throw OAuthError.invalidRequest("The client is authenticated twice: send client_id and "
                        + "client_secret either by HTTP Basic or in the body, not both.");
            }
            try {
                return new Client(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8), true);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("The Basic credentials are not correctly URL-encoded.", true);
            }
        }
    }

    /** The request's parameters from a JSON object or a form body; each may appear once. */
    private Map<String, String> parameters(String contentType, String body) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json")) {
            return fromJson(body);
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return fromForm(body);
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
            if (issued.refreshToken() != null) {
                g.writeStringField("refresh_token", issued.refreshToken());
            }
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
}
