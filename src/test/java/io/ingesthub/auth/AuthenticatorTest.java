package io.ingesthub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ingesthub.Endpoint;
import io.ingesthub.HubProperties;
import io.ingesthub.ops.HubMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ingesthub.ingest.Authenticate;
import io.ingesthub.ingest.IngestContext;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.tokens.TokenService;
import io.ingesthub.web.ProblemException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The authenticator on one exchange, as platform-http hands it over (query parameters also copied into headers):
 * which credentials it takes from where, what it refuses, and that no credential stays on the exchange.
 */
class AuthenticatorTest {

    private static final TenantRegistry REGISTRY = new TenantRegistry(Path.of("src/test/resources/registry/tenants.yaml"), false);
    private static final TokenService TOKENS = new TokenService(
            "unit-test-secret-0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(1), Duration.ofDays(1), Clock.systemUTC());
    private static final String DEMO_TOKEN = TOKENS.issue(REGISTRY.current().appByToken("demo-app-token"),
            REGISTRY.current().tenant("demo").serviceAccount("svc-ingest@demo.local")).accessToken();

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Authenticate authenticator = new Authenticate(new Authenticator(REGISTRY, TOKENS, new AppRateLimits(),
            hub(), new HubMetrics(meters)));

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void takesBothTokensFromHeadersAndRecordsTheCaller() {
        Exchange exchange = exchange("incidents", null, Map.of("x-app-token", "demo-app-token",
                "Authorization", "Bearer " + DEMO_TOKEN));

        authenticator.authenticate(exchange);

        IngestContext ctx = IngestContext.of(exchange);
        assertThat(ctx.tenant()).isEqualTo("demo");
        assertThat(ctx.app()).isEqualTo("itsm-assistant");
        assertThat(ctx.dataSource()).isEqualTo("demo-servicenow");
        assertThat(ctx.mappingSet()).isEqualTo("servicenow");
        assertThat(exchange.getIn().getHeaders()).doesNotContainKeys("x-app-token", "Authorization");
    }

    @Test
    void takesApptokenAndKeyFromTheQueryAndRemovesThem() {
        Exchange exchange = exchange("alerts", "apptoken=demo-app-token&key=" + enc(DEMO_TOKEN) + "&other=1",
                Map.of());

        authenticator.authenticate(exchange);

        assertThat(IngestContext.of(exchange).app()).isEqualTo("itsm-assistant");
        assertThat(exchange.getIn().getHeaders()).doesNotContainKeys("apptoken", "key", Exchange.HTTP_QUERY,
                Exchange.HTTP_RAW_QUERY);
        assertThat(exchange.getIn().getHeader("other")).isEqualTo("1");
    }

    @Test
    void refusesKeyOnTheItsmEndpointsNamingTheRuleAndStillRemovesCredentials() {
        Exchange exchange = exchange("requestitems", "at=demo-app-token&key=" + enc(DEMO_TOKEN), Map.of());

        ProblemException e = catchThrowableOfType(ProblemException.class, () -> authenticator.authenticate(exchange));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.detail()).contains("'key'", "/requestitems", "Authorization header").doesNotContain(DEMO_TOKEN);
        assertThat(e.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"ingest-hub\"");
        assertThat(exchange.getIn().getHeaders()).doesNotContainKeys("at", "key", Exchange.HTTP_RAW_QUERY);
        assertThat(meters.get("hub.auth.failures").tag("reason", "unauthorized").counter().count()).isEqualTo(1.0);
    }

    @Test
    void tellsAQueryParameterFromAHeaderOfTheSameName() {
        // ?x-app-token=... lands in the same case-insensitive header map as a real x-app-token header
        Exchange exchange = exchange("incidents", "x-app-token=demo-app-token",
                Map.of("Authorization", "Bearer " + DEMO_TOKEN));

        assertThat(catchThrowableOfType(ProblemException.class, () -> authenticator.authenticate(exchange)).detail())
                .contains("Query parameters named x-app-token");
    }

    @Test
    void refusesTwoDifferentAppTokensAndRepeatedParameters() {
        Exchange two = exchange("incidents", "at=jira-bridge-token", Map.of("x-app-token", "demo-app-token",
                "Authorization", "Bearer " + DEMO_TOKEN));
        assertThat(catchThrowableOfType(ProblemException.class, () -> authenticator.authenticate(two)).detail())
                .contains("Two different app tokens");

        Exchange repeated = exchange("incidents", "at=demo-app-token&at=demo-app-token",
                Map.of("Authorization", "Bearer " + DEMO_TOKEN));
        assertThat(catchThrowableOfType(ProblemException.class, () -> authenticator.authenticate(repeated)).detail())
                .contains("more than once");
    }

    @Test
    void decodesQueryValues() {
        Exchange exchange = exchange("incidents", "at=" + enc("demo-app-token"), Map.of(
                "Authorization", "bearer " + DEMO_TOKEN));

        authenticator.authenticate(exchange);

        assertThat(IngestContext.of(exchange).tenant()).isEqualTo("demo");
    }

    private Exchange exchange(String entity, String query, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable(IngestContext.VARIABLE, new IngestContext("/" + entity, entity));
        exchange.setVariable("credentials", Endpoint.table().stream().filter(e -> e.entity().equals(entity))
                .findFirst().orElseThrow().credentials());
        exchange.getIn().setHeader(Exchange.HTTP_URI, "/" + entity);
        headers.forEach(exchange.getIn()::setHeader);
        if (query != null) {
            exchange.getIn().setHeader(Exchange.HTTP_QUERY, query);
            exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY, query);
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                exchange.getIn().setHeader(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return exchange;
    }

    @Test
    void refusesAHostThatNamesNoTenantWhereThereIsNoDefaultTenant() {
        Authenticate withoutDefault = new Authenticate(new Authenticator(REGISTRY, TOKENS, new AppRateLimits(),
                new HubProperties("", new HubProperties.Topics("ingest.", "dlq.v1"), null, null),
                new HubMetrics(meters)));
        Exchange exchange = exchange("incidents", null, Map.of("x-app-token", "demo-app-token",
                "Authorization", "Bearer " + DEMO_TOKEN, "Host", "hub.example.com"));

        ProblemException e = catchThrowableOfType(ProblemException.class, () -> withoutDefault.authenticate(exchange));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.detail()).contains("names no tenant", "no default tenant");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HubProperties hub() {
        return new HubProperties("demo", new HubProperties.Topics("ingest.", "dlq.v1"), null, null);
    }
}
