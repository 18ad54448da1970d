package io.ingesthub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/** In the {@code prod} profile the monitoring, replay and status endpoints answer only to the operator login. */
@ActiveProfiles("prod")
@AutoConfigureObservability(tracing = false)
@TestPropertySource(properties = {
        "hub.tokens.secret=prod-profile-test-secret-0123456789abcdef",
        "hub.admin.username=ops",
        "hub.admin.password=test-admin-pass",
        "hub.tokens.audience=https://prod-test.example.com",
        // The shared test registry holds the demo credentials and no tenant for the test's Host: ProdStartTest
        // covers what prod refuses there.
        "hub.refuse-unsafe-secrets=false",
        "hub.default-tenant=demo",
        // This test sends more wrong passwords from one address than the default throttle lets through.
        "hub.admin.login-throttle.max-failures=50"})
class AdminEndpointsProdTest extends HubTestSupport {

    private static final String[] PATHS = {"/admin/status", "/admin/status/data", "/admin/replays",
            "/admin/replays/some-id", "/admin/data-sources/demo-servicenow/executions",
            "/admin/data-sources/demo-servicenow/stats?window=1h", "/admin/data-sources/demo-servicenow/errors",
            "/dsexecution?tenantId=demo&datasourceId=demo-servicenow"};

    @Test
    void refusesMonitoringReplayAndStatusEndpointsWithoutTheOperatorLogin() {
        for (String path : PATHS) {
            assertThat(call("GET", path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(call("GET", path, "ops:wrong").statusCode()).as(path).isEqualTo(401);
        }
        // A browser-less write without a login meets the CSRF check first (403); either way nothing runs.
        assertThat(call("POST", "/admin/replays", null).statusCode()).isIn(401, 403);
        assertThat(call("DELETE", "/admin/replays/some-id", null).statusCode()).isIn(401, 403);
        assertThat(call("POST", "/admin/replays", "ops:wrong").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/admin/replays", "ops:test-admin-pass").body()).isEqualTo("{\"replays\":[]}");
    }

    @Test
    void servesThemToTheOperator() {
        for (String path : PATHS) {
            int status = call("GET", path, "ops:test-admin-pass").statusCode();
            assertThat(status).as(path).isEqualTo(path.endsWith("some-id") ? 404 : 200);
        }
    }

    private HttpResponse<String> call(String method, String path, String basic) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (basic != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b.header("Content-Type", "application/json").build());
    }
}
