package io.ingesthub.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ingesthub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionWindowTest {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    final MutableClock clock = new MutableClock(T0);

    ExecutionWindow window(int perSource, Duration maxAge) {
        return new ExecutionWindow(JSON, new MonitoringProperties("executions.v1", perSource, maxAge, 100, Duration.ofMillis(250), 200), clock);
    }

    static Execution exec(String id, String ds, int status, int accepted, int rejected, String reason, Instant at) {
        return new Execution(id, "demo", ds, "app", "incidents", status, accepted, rejected, 12, reason, at);
    }

    @Test
    void writesTheExecutionAsSnakeCaseJsonWithoutPayloadAndReadsItBack() throws Exception {
        Execution e = exec("i-1", "ds", 207, 1, 1, "priority: unknown", T0);
        String text = JSON.writeValueAsString(e);
        assertThat(JSON.readTree(text).fieldNames()).toIterable().containsExactlyInAnyOrder("ingest_id", "tenant",
                "data_source", "app", "entity", "status", "accepted", "rejected", "duration_ms", "reason", "time");
        assertThat(JSON.readTree(text).path("time").asText()).isEqualTo("2026-12-01T10:00:00Z");
        ExecutionWindow w = window(10, Duration.ofHours(1));
        w.fold(text);
        assertThat(w.recent("demo", "ds", 5)).containsExactly(e);
    }

    @Test
    void countsAWindowByStatusWithLastSuccessLastFailureAndDeadLetters() {
        ExecutionWindow w = window(100, Duration.ofDays(1));
        w.add(exec("old", "ds", 200, 5, 0, null, T0.minus(Duration.ofHours(2))));
        w.add(exec("a", "ds", 200, 2, 0, null, T0.minusSeconds(600)));
        w.add(exec("b", "ds", 207, 1, 2, "state: unknown", T0.minusSeconds(300)));
        w.add(exec("c", "ds", 401, 0, 0, "token expired", T0.minusSeconds(60)));
        w.add(exec("x", "other", 200, 9, 0, null, T0));

        ExecutionWindow.Stats s = w.stats("demo", "ds", Duration.ofHours(1));
        assertThat(s.requests()).isEqualTo(3);
        assertThat(s.accepted()).isEqualTo(3);
        assertThat(s.rejected()).isEqualTo(2);
        assertThat(s.deadLetters()).isEqualTo(2);
        assertThat(s.byStatus()).containsEntry(200, 1L).containsEntry(207, 1L).containsEntry(401, 1L);
        assertThat(s.lastSuccess()).isEqualTo(T0.minusSeconds(600));
        assertThat(s.lastFailure()).isEqualTo(T0.minusSeconds(60));
        assertThat(s.lastFailureReason()).isEqualTo("token expired");
        assertThat(w.errors("demo", "ds", 10)).extracting(Execution::ingestId).containsExactly("c", "b");
        assertThat(w.tenantOf("x")).isEqualTo("demo");
    }

    @Test
    void keepsOnlyTheNewestExecutionsAndNoneOlderThanMaxAge() {
        ExecutionWindow w = window(3, Duration.ofMinutes(30));
        for (int i = 0; i < 5; i++) {
            w.add(exec("e" + i, "ds", 200, 1, 0, null, T0.plusSeconds(i)));
        }
        assertThat(w.recent("demo", "ds", 10)).extracting(Execution::ingestId).containsExactly("e4", "e3", "e2");
        clock.advance(Duration.ofMinutes(31));
        assertThat(w.recent("demo", "ds", 10)).isEmpty();
    }

    @Test
    void foldsABatchOfExecutionsAndStillReadsASingleOne() throws Exception {
        ExecutionWindow w = window(10, Duration.ofHours(1));
        Execution a = exec("a", "ds", 200, 1, 0, null, T0.minusSeconds(2));
        Execution b = exec("b", "ds", 422, 0, 1, "id: required", T0.minusSeconds(1));
        Execution c = exec("c", "ds", 200, 2, 0, null, T0);
        w.fold(" " + JSON.writeValueAsString(List.of(a, b)));
        w.fold(JSON.writeValueAsString(c));
        assertThat(w.recent("demo", "ds", 5)).containsExactly(c, b, a);
        w.fold("[]");
        w.fold("[null]");
        w.fold("[{\"tenant\":\"demo\"}]");
        w.fold("[" + JSON.writeValueAsString(a) + ",");
        assertThat(w.unreadable()).isEqualTo(3);
    }

    @Test
    void dropsAnExpiredExecutionThatArrivedAfterANewerOne() {
        ExecutionWindow w = window(10, Duration.ofMinutes(30));
        w.add(exec("new", "ds", 200, 1, 0, null, T0));
        w.add(exec("late-and-old", "ds", 200, 1, 0, null, T0.minus(Duration.ofHours(1))));
        assertThat(w.recent("demo", "ds", 10)).extracting(Execution::ingestId).containsExactly("new");
        assertThat(w.stats("demo", "ds", Duration.ofMinutes(30)).requests()).isEqualTo(1);
    }

    @Test
    void skipsUnreadableValuesAndCountsThem() {
        ExecutionWindow w = window(3, Duration.ofMinutes(30));
        w.fold("{not json");
        w.fold("{\"tenant\":\"demo\"}");
        assertThat(w.unreadable()).isEqualTo(2);
        assertThat(w.sources()).isEmpty();
    }

    @Test
    void slicesTheLastHourIntoBucketsForTheChart() {
        ExecutionWindow w = window(100, Duration.ofDays(1));
        w.add(exec("a", "ds", 200, 2, 0, null, T0.minusSeconds(30)));
        w.add(exec("b", "ds", 207, 1, 3, "x", T0.minusSeconds(3590)));
        var buckets = w.series("demo", "ds", Duration.ofHours(1), 60);
        assertThat(buckets).hasSize(60);
        assertThat(buckets.get(59).accepted()).isEqualTo(2);
        assertThat(buckets.get(0).rejected()).isEqualTo(3);
    }
}
