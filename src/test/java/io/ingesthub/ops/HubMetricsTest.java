package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.ingest.IngestContext;
import io.ingesthub.ingest.RecordOutcome;
import io.ingesthub.mapping.FieldError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HubMetrics counts what a request did, under the right tags, and registers each meter only once. */
class HubMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HubMetrics metrics = new HubMetrics(registry);

    @Test
    void countsRecordsByOutcomeOnceKafkaAcknowledged() {
        metrics.request(answered("acme", "incidents", true, false, true), 207);

        assertThat(count("hub.records", "tenant", "acme", "entity", "incidents", "outcome", "accepted")).isEqualTo(2.0);
        assertThat(count("hub.records", "tenant", "acme", "entity", "incidents", "outcome", "rejected")).isEqualTo(1.0);
        assertThat(registry.get("hub.request").tags("entity", "incidents", "status", "207").timer().count()).isEqualTo(1);
        assertThat(registry.get("hub.kafka.send").tags("entity", "incidents", "outcome", "acked").timer().count()).isEqualTo(1);
    }

    @Test
    void countsNoRecordsForARequestKafkaNeverAcknowledged() {
        IngestContext ctx = new IngestContext("/" + "alerts", "alerts");
        ctx.caller("acme", "app", "ds", "set");
        ctx.records(List.of(new RecordOutcome(0, JsonNodeFactory.instance.objectNode())));
        ctx.sending();
        metrics.request(ctx, 503);

        assertThat(registry.find("hub.records").counters()).isEmpty();
        assertThat(registry.get("hub.kafka.send").tags("entity", "alerts", "outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.get("hub.request").tags("entity", "alerts", "status", "503").timer().count()).isEqualTo(1);
    }

    @Test
    void registersEachMeterOnceAndReusesIt() {
        metrics.request(answered("acme", "incidents", true), 200);
        metrics.authFailure("invalid_bearer");
        metrics.tokenIssued("acme");
        int meters = registry.getMeters().size();

        for (int i = 0; i < 100; i++) {
            metrics.request(answered("acme", "incidents", true), 200);
            metrics.authFailure("invalid_bearer");
            metrics.tokenIssued("acme");
        }

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(count("hub.records", "tenant", "acme", "entity", "incidents", "outcome", "accepted")).isEqualTo(101.0);
        assertThat(count("hub.auth.failures", "reason", "invalid_bearer")).isEqualTo(101.0);
        assertThat(count("hub.tokens.issued", "tenant", "acme")).isEqualTo(101.0);
    }

    @Test
    void tagsARequestRefusedBeforeAuthenticationAsUnknownTenant() {
        IngestContext ctx = new IngestContext("/" + "problems", "problems");
        metrics.request(ctx, 401);
        metrics.authFailure(null);

        assertThat(registry.get("hub.request").tags("entity", "problems", "status", "401").timer().count()).isEqualTo(1);
        assertThat(count("hub.auth.failures", "reason", "unknown")).isEqualTo(1.0);
    }

    private static IngestContext answered(String tenant, String entity, boolean... accepted) {
        IngestContext ctx = new IngestContext("/" + entity, entity);
        ctx.caller(tenant, "app", "ds", "set");
        List<RecordOutcome> records = new java.util.ArrayList<>();
        for (int i = 0; i < accepted.length; i++) {
            RecordOutcome r = new RecordOutcome(i, JsonNodeFactory.instance.objectNode());
            if (accepted[i]) {
                ObjectNode out = JsonNodeFactory.instance.objectNode().put("id", "r" + i);
                r.accept("r" + i, out);
            } else {
                r.reject(List.of(new FieldError("id", "required")));
            }
            records.add(r);
        }
        ctx.records(records);
        ctx.sending();
        ctx.acknowledged();
        return ctx;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }
}
