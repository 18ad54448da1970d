package io.ingesthub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.monitoring.Execution;
import io.ingesthub.monitoring.ExecutionWindow;
import io.ingesthub.monitoring.MonitoringProperties;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.replay.ReplayService;
import io.ingesthub.web.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The monitoring endpoints: {@code /admin/data-sources/{ds}/executions}, {@code …/stats?window=}, {@code …/errors},
 * the Aisera-shaped {@code /dsexecution?tenantId=&datasourceId=} and the status page's data, all read from the
 * executions window that every replica folds alike.
 */
@Component("monitoringApi")
public class MonitoringApi {

    private final ExecutionWindow window;
    private final TenantRegistry registry;
    private final ReplayService replays;
    private final ObjectMapper json;
    private final Duration maxAge;

    public MonitoringApi(ExecutionWindow window, TenantRegistry registry, ReplayService replays, ObjectMapper json,
            MonitoringProperties properties) {
        this.window = window;
        this.registry = registry;
        this.replays = replays;
        this.json = json;
        this.maxAge = properties.maxAge();
    }

    public void executions(Exchange exchange) {
        answerList(exchange, "executions", window::recent);
    }

    public void errors(Exchange exchange) {
        answerList(exchange, "errors", window::errors);
    }

    public void stats(Exchange exchange) {
        Operators.Source s = source(exchange);
        String w = Operators.param(exchange, "window");
        String span = w == null ? "1h" : w;
        Duration d = Operators.window(span, maxAge);
        Operators.answer(exchange, json, 200, stats(s, window.stats(s.tenant(), s.name(), d), span));
    }

    /** A data source's newest executions of one kind, at most {@code ?limit=} (50 by default, 1000 at the most). */
    private void answerList(Exchange exchange, String field, Listing listing) {
        Operators.Source s = source(exchange);
        int limit = Operators.intParam(exchange, "limit", 50, 1000);
        ObjectNode body = head(s);
        body.set(field, json.valueToTree(listing.list(s.tenant(), s.name(), limit)));
        Operators.answer(exchange, json, 200, body);
    }

    @FunctionalInterface
    private interface Listing {
        List<Execution> list(String tenant, String dataSource, int limit);
    }

    /** {@code GET /dsexecution}: the latest window of a data source as one execution, in Aisera's terms. */
    public void dsexecution(Exchange exchange) {
        String tenant = Operators.param(exchange, "tenantId");
        String ds = Operators.param(exchange, "datasourceId");
        if (tenant == null || ds == null) {
            throw ProblemException.badRequest("Both 'tenantId' and 'datasourceId' are required.");
        }
        Operators.Source s = Operators.source(registry, tenant, ds);
        String w = Operators.param(exchange, "window");
        ExecutionWindow.Stats st = window.stats(s.tenant(), s.name(), Operators.window(w == null ? "1h" : w, maxAge));
        List<Execution> newest = window.recent(s.tenant(), s.name(), 1);
        ObjectNode body = json.createObjectNode();
        body.put("tenantId", s.tenant());
        body.put("datasourceId", s.name());
        ArrayNode list = body.putArray("executions");
        if (st.requests() > 0 || replaying(s)) {
            ObjectNode e = list.addObject();
            e.put("executionId", newest.isEmpty() ? null : newest.get(0).ingestId());
            e.put("status", replaying(s) ? "running"
                    : !newest.isEmpty() && !newest.get(0).succeeded() ? "failing" : "succeeding");
            e.put("startTime", text(st.first()));
            e.put("endTime", text(st.last()));
            e.put("duration", st.durationMs());
            e.put("requestCount", st.requests());
            e.put("failedRequestCount", st.errors());
            e.put("totalCount", st.accepted() + st.rejected());
            e.put("successCount", st.accepted());
            e.put("failureCount", st.rejected());
            e.put("lastSuccessTime", text(st.lastSuccess()));
            e.put("lastFailureTime", text(st.lastFailure()));
            e.put("errorMessage", st.lastFailureReason());
        }
        Operators.answer(exchange, json, 200, body);
    }

    /** The status page's data: per data source the last hour by minute, its stats and last errors; the replays. */
    public void overview(Exchange exchange) {
        ObjectNode body = json.createObjectNode();
        body.put("time", Instant.now().toString());
        ArrayNode sources = body.putArray("data_sources");
        for (Operators.Source s : Operators.sources(registry)) {
            ObjectNode n = stats(s, window.stats(s.tenant(), s.name(), Duration.ofHours(1)), "1h");
            n.set("series", json.valueToTree(window.series(s.tenant(), s.name(), Duration.ofHours(1), 60)));
            n.set("errors", json.valueToTree(window.errors(s.tenant(), s.name(), 5)));
            sources.add(n);
        }
        body.set("replays", json.valueToTree(replays.all().stream().limit(20).toList()));
        Operators.answer(exchange, json, 200, body);
    }

    private boolean replaying(Operators.Source s) {
        return replays.all().stream().anyMatch(r -> r.running() && s.tenant().equals(r.tenant())
                && s.name().equals(r.dataSource()));
    }

    private ObjectNode stats(Operators.Source s, ExecutionWindow.Stats st, String w) {
        ObjectNode n = head(s);
        n.put("window", w);
        n.put("requests", st.requests());
        n.put("accepted", st.accepted());
        n.put("rejected", st.rejected());
        ObjectNode by = n.putObject("by_status");
        st.byStatus().forEach((k, v) -> by.put(Integer.toString(k), v));
        n.put("errors", st.errors());
        n.put("dead_letters", st.deadLetters());
        n.put("last_success", text(st.lastSuccess()));
        n.put("last_failure", text(st.lastFailure()));
        n.put("last_failure_reason", st.lastFailureReason());
        return n;
    }

    private ObjectNode head(Operators.Source s) {
        ObjectNode n = json.createObjectNode();
        n.put("tenant", s.tenant());
        n.put("data_source", s.name());
        return n;
    }

    private Operators.Source source(Exchange exchange) {
        return Operators.source(registry, Operators.param(exchange, "tenant"), Operators.param(exchange, "ds"));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
