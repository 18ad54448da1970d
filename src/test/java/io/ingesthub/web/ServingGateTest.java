package io.ingesthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The serving gate: 503 with Retry-After on the hub's POST paths before the hub is ready and once it stops. */
class ServingGateTest {

    private final ServingGate gate = new ServingGate(Set.of("/alerts", "/incidents"), Duration.ofSeconds(2));

    private MockHttpServletResponse call(String uri) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        gate.doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(299);
        }
        return response;
    }

    @Test
    void whileStartingEveryWebhookSourceAndTokenPathAnswers503WithRetryAfter() throws Exception {
        for (String uri : List.of("/alerts", "/alerts;x=1", "/%61lerts", "/alerts/", "/incidents", "/sources/github",
                "/tenant-users/oauth2/token", "/tenant-users/oauth2/token;x")) {
            MockHttpServletResponse answer = call(uri);
            assertThat(answer.getStatus()).as(uri).isEqualTo(503);
            assertThat(answer.getHeader("Retry-After")).as(uri).isEqualTo("2");
            assertThat(answer.getContentType()).as(uri).startsWith(uri.startsWith("/tenant-users")
                    ? "application/json" : "application/problem+json");
            assertThat(answer.getContentAsString()).as(uri).contains("retry");
        }
    }

    @Test
    void whileStartingOtherPathsGoOn() throws Exception {
        assertThat(call("/actuator/health").getStatus()).isEqualTo(299);
        assertThat(call("/admin/status").getStatus()).isEqualTo(299);
    }

    @Test
    void onceReadyRequestsGoOnAndOnStopTheyAre503Again() throws Exception {
        gate.open();
        assertThat(call("/alerts").getStatus()).isEqualTo(299);
        assertThat(call("/tenant-users/oauth2/token").getStatus()).isEqualTo(299);

        gate.close();
        assertThat(call("/alerts").getStatus()).isEqualTo(503);
        assertThat(call("/sources/jira").getHeader("Retry-After")).isEqualTo("2");
    }
}
