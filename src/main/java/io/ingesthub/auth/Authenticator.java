package io.ingesthub.auth;

import io.ingesthub.HubProperties;
import io.ingesthub.ops.HubMetrics;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.tokens.InvalidTokenException;
import io.ingesthub.tokens.TokenService;
import io.ingesthub.web.ProblemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Decides who is calling an ingestion endpoint: both the app token and the bearer access token, from headers or the
 * query parameters the endpoint allows, checked against the registry and the host's tenant; records the caller on
 * which app is calling and applies its rate limit.
 */
@Component("authenticator")
public class Authenticator {

    static final String REALM = "Bearer realm=\"ingest-hub\"";

    private final TenantRegistry registry;
    private final TokenService tokens;
    private final AppRateLimits rateLimits;
    private final String defaultTenant;
    private final HubMetrics metrics;

    public Authenticator(TenantRegistry registry, TokenService tokens, AppRateLimits rateLimits, HubProperties hub,
                         HubMetrics metrics) {
        this.registry = registry;
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.defaultTenant = hub.defaultTenant();
        this.metrics = metrics;
    }

    /** What a request presents: its credential family, path, credential headers, Host and raw query string. */
    public record Credentials(boolean keyFamily, String path, String appToken, String authorization, String host,
                              String rawQuery) {}

    /**
     * The app calling with {@code c}, its rate limit applied; a refusal is counted and thrown as the problem that
     * says why.
     */
    public Registry.App authenticate(Credentials c) {
        try {
            Registry.App app = check(c);
            rateLimits.acquire(app);
            return app;
        } catch (ProblemException refused) {
            metrics.authFailure(refused.slug());
            throw refused;
        }
    }

    private Registry.App check(Credentials c) {
        boolean keyFamily = c.keyFamily();
        String path = c.path();
        Query query = Query.parse(c.rawQuery());
        if (query.headerName || query.authorization) {
            throw unauthorized("Query parameters named x-app-token, Authorization or Host are refused: credentials go "
                    + "in the headers x-app-token and Authorization, or in the query parameters "
                    + (keyFamily ? "'apptoken' and 'key'" : "'at'") + " for " + path + ".");
        }
        if (!keyFamily && query.key != null) {
            throw unauthorized("The bearer token cannot be sent as query parameter 'key' to " + path
                    + ": the ITSM endpoints (/incidents, /requests, /requestitems, /problems) accept it only in the "
                    + "Authorization header.");
        }
        if (!keyFamily && query.apptoken != null) {
            throw unauthorized("The app token goes in query parameter 'at' (not 'apptoken') for " + path
                    + ", or in the x-app-token header.");
        }
        if (keyFamily && query.at != null) {
            throw unauthorized("The app token goes in query parameter 'apptoken' (not 'at') for " + path
                    + ", or in the x-app-token header.");
        }
        String appToken = either(c.appToken(), keyFamily ? query.apptoken : query.at,
                "app token");
        String bearer = either(bearer(c.authorization()), keyFamily ? query.key : null,
                "bearer token");
        if (appToken == null && bearer == null) {
            throw unauthorized("No credentials: send the app token in x-app-token and the access token as "
                    + "'Authorization: Bearer <token>'" + (keyFamily ? ", or as query parameters 'apptoken' and 'key'."
                    : ", or the app token as query parameter 'at'."));
        }
        if (appToken == null) {
            throw unauthorized("No app token: send it in x-app-token or as query parameter '"
                    + (keyFamily ? "apptoken" : "at") + "'.");
        }
        if (bearer == null) {
            throw unauthorized("No access token: send it as 'Authorization: Bearer <token>'"
                    + (keyFamily ? " or as query parameter 'key'." : "; this endpoint takes it in no query parameter."));
        }

        Registry current = registry.current();
        Registry.App app = current.appByToken(appToken);
        if (app == null) {
            throw unauthorized("The app token is not valid.");
        }
        TokenService.Claims claims;
        try {
            claims = tokens.verifyAccess(bearer);
        } catch (InvalidTokenException e) {
            throw invalidToken(e.getMessage());
        }
        if (claims.clientOnly()) {
            // A client_credentials token: valid while the app it names has the client secret it was issued for.
            if (!claims.tenant().equals(app.tenant()) || !claims.app().equals(app.name())
                    || !tokens.current(claims, app)) {
                throw invalidToken("The access token was revoked or issued to another app: a client_credentials "
                        + "token is valid only with its own app token, while the app keeps its client secret.");
            }
        } else {
            Registry.Tenant tokenTenant = current.tenant(claims.tenant());
            Registry.ServiceAccount account = tokenTenant == null ? null : tokenTenant.serviceAccount(claims.account());
            if (account == null || !tokens.current(claims, account)) {
                throw invalidToken("The access token was revoked: its service account was removed, disabled or given "
                        + "a new password. Request a new token.");
            }
        }
        String hostTenant = current.tenantForHost(c.host(), defaultTenant);
        if (hostTenant == null || hostTenant.isEmpty()) {
            throw unauthorized("The Host names no tenant: its first label must be a tenant of the registry "
                    + "(acme.hub.example.com is tenant acme), and this hub has no default tenant (hub.default-tenant).");
        }
        if (!app.tenant().equals(hostTenant)) {
            throw forbidden("The app token does not belong to tenant '" + hostTenant
                    + "', to which this request is addressed (by its Host).");
        }
        if (!claims.tenant().equals(app.tenant())) {
            throw forbidden("The access token was issued for another tenant than the app token's.");
        }
        if (!claims.app().equals(app.name())) {
            throw forbidden("The access token was issued for another app than the one this app token identifies.");
        }
        return app;
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("The Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'.");
        }
        return value.substring(7).trim();
    }

    private static String either(String fromHeader, String fromQuery, String what) {
        if (fromHeader != null && !fromHeader.isEmpty() && fromQuery != null && !fromQuery.equals(fromHeader)) {
            throw unauthorized("Two different " + what + "s were sent, one in a header and one in the query.");
        }
        String value = fromHeader != null && !fromHeader.isEmpty() ? fromHeader : fromQuery;
        return value == null || value.isEmpty() ? null : value;
    }

    static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail, Map.of("WWW-Authenticate", REALM));
    }

    static ProblemException invalidToken(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail,
                Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\", error_description=\""
                        + detail.replace('"', '\'') + "\""));
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    /** The credential parameters of a query string, decoded; any other parameter is ignored. */
    private record Query(String apptoken, String key, String at, boolean headerName, boolean authorization) {

        static final Query NONE = new Query(null, null, null, false, false);

        static Query parse(String raw) {
            if (raw == null || raw.isEmpty()) {
                return NONE;
            }
            String apptoken = null;
            String key = null;
            String at = null;
            boolean headerName = false;
            boolean authorization = false;
            int start = 0;
            while (start <= raw.length()) {
                int amp = raw.indexOf('&', start);
                int end = amp < 0 ? raw.length() : amp;
                int eq = raw.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                String name = decode(raw.substring(start, eq)).toLowerCase(Locale.ROOT);
                String value = eq < end ? decode(raw.substring(eq + 1, end)) : "";
                switch (name) {
                    case "apptoken" -> apptoken = once(apptoken, value, name);
                    case "key" -> key = once(key, value, name);
                    case "at" -> at = once(at, value, name);
                    case "x-app-token", "host" -> headerName = true;
                    case "authorization" -> authorization = true;
                    default -> { }
                }
                if (amp < 0) {
                    break;
                }
                start = amp + 1;
            }
            return new Query(apptoken, key, at, headerName, authorization);
        }

        private static String once(String previous, String value, String name) {
            if (previous != null) {
                throw unauthorized("Query parameter '" + name + "' is given more than once.");
            }
            return value;
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw unauthorized("The query string is not correctly URL-encoded.");
            }
        }
    }
}
