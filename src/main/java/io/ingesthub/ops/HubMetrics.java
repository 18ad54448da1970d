package io.ingesthub.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.springframework.stereotype.Component;

/**
 * The hub's own meters, scraped at {@code /actuator/prometheus}. Every meter is registered once per tag set and kept,
 * so the request path only looks it up and increments it.
 *
 * <ul>
 *   <li>{@code hub_records_total{tenant,entity,outcome=accepted|rejected}} and
 *       {@code hub_request_seconds{entity,status}} (a histogram) come from {@link #request}, which the pipeline calls
 *       once at the end of every ingest request, answered or refused;</li>
 *   <li>{@code hub_kafka_send_seconds{entity,outcome=acked|failed}}: from handing the records to the producer to
 *       Kafka's acknowledgement (or the failure), once per request that reached the send;</li>
 *   <li>{@code hub_auth_failures_total{reason}}: call {@link #authFailure} with a short, fixed reason (the problem
 *       type of a refused webhook request, {@code unauthorized} or {@code forbidden}, or {@code token_} and the
 *       OAuth error code at the token endpoint) wherever a credential is refused; never pass anything the caller sent;</li>
 *   <li>{@code hub_tokens_issued_total{tenant}}: call {@link #tokenIssued} when the token endpoint issues a pair;</li>
 *   <li>{@code hub_source_verifications_total{tenant,data_source,outcome,secret}}: call {@link #sourceVerification}
 *       once per signed delivery; {@code secret} is the id of the secret that matched ({@code none} otherwise), so
 *       an operator sees when the old secret of a rotation stops matching.</li>
 * </ul>
 */
@Component("hubMetrics")
public class HubMetrics {

    /** Upper bounds of the latency histograms: webhook callers and Kafka acks both live between a millisecond and the ack timeout. */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, ConcurrentMap<String, RecordCounters>> records = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicReferenceArray<Timer>> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer[]> sends = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> authFailures = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> tokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<List<String>, Counter> verifications = new ConcurrentHashMap<>();

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What a finished ingest request tells the meters. */
    public interface Finished {
        String tenant();

        String entity();

        long elapsedNanos();

        /** How long the Kafka send took; -1 if the request never reached it. */
        long sendNanos();

        /** Whether Kafka acknowledged the records. */
        boolean placed();

        int recordCount();

        int accepted();
    }

    /** Counts one finished ingest request: its latency by entity and status, its records, and its Kafka send. */
    public void request(Finished ctx, int status) {
        String entity = orUnknown(ctx.entity());
        requestTimer(entity, status).record(ctx.elapsedNanos(), TimeUnit.NANOSECONDS);
        long sendNanos = ctx.sendNanos();
        if (sendNanos >= 0) {
            sendTimers(entity)[ctx.placed() ? 0 : 1].record(sendNanos, TimeUnit.NANOSECONDS);
        }
        if (ctx.placed() && ctx.recordCount() > 0) {
            int accepted = ctx.accepted();
            RecordCounters c = records.computeIfAbsent(orUnknown(ctx.tenant()), t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(entity, e -> new RecordCounters(registry, orUnknown(ctx.tenant()), e));
            if (accepted > 0) {
                c.accepted.increment(accepted);
            }
            if (accepted < ctx.recordCount()) {
                c.rejected.increment(ctx.recordCount() - accepted);
            }
        }
    }

    /** Counts one refused credential; {@code reason} is a short fixed word chosen by the code, never caller input. */
    public void authFailure(String reason) {
        authFailures.computeIfAbsent(orUnknown(reason), r -> Counter.builder("hub.auth.failures")
                .description("Credentials refused, by reason")
                .tag("reason", r)
                .register(registry)).increment();
    }

    /** Counts one access/refresh token pair issued (password or refresh grant) to a service account of {@code tenant}. */
    public void tokenIssued(String tenant) {
        tokens.computeIfAbsent(orUnknown(tenant), t -> Counter.builder("hub.tokens.issued")
                .description("Token pairs issued by the token endpoint")
                .tag("tenant", t)
                .register(registry)).increment();
    }

    /**
     * Counts one checked delivery of a source data source; {@code outcome} is a fixed label and {@code secretId} a
     * secret's id from the registry (never its value), or {@code null} when none matched.
     */
    public void sourceVerification(String tenant, String dataSource, String outcome, String secretId) {
        List<String> tags = List.of(orUnknown(tenant), orUnknown(dataSource), orUnknown(outcome),
                secretId == null || secretId.isEmpty() ? "none" : secretId);
        verifications.computeIfAbsent(tags, t -> Counter.builder("hub.source.verifications")
                .description("Source deliveries checked, by data source, outcome and the id of the secret that matched")
                .tag("tenant", t.get(0))
                .tag("data_source", t.get(1))
                .tag("outcome", t.get(2))
                .tag("secret", t.get(3))
                .register(registry)).increment();
    }

    private Timer requestTimer(String entity, int status) {
        AtomicReferenceArray<Timer> byStatus = requests.computeIfAbsent(entity, e -> new AtomicReferenceArray<>(600));
        int slot = status >= 100 && status < 700 ? status - 100 : 499;
        Timer t = byStatus.get(slot);
        if (t == null) {
            t = Timer.builder("hub.request")
                    .description("Ingest requests from arrival to answer, by entity and HTTP status")
                    .tag("entity", entity)
                    .tag("status", Integer.toString(slot + 100))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            byStatus.set(slot, t);
        }
        return t;
    }

    private Timer[] sendTimers(String entity) {
        return sends.computeIfAbsent(entity, e -> new Timer[] {sendTimer(e, "acked"), sendTimer(e, "failed")});
    }

    private Timer sendTimer(String entity, String outcome) {
        return Timer.builder("hub.kafka.send")
                .description("From handing a request's records to the producer to Kafka's acknowledgement of all of them")
                .tag("entity", entity)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? UNKNOWN : value;
    }

    /** The accepted and rejected record counters of one tenant and entity. */
    private static final class RecordCounters {

        final Counter accepted;
        final Counter rejected;

        RecordCounters(MeterRegistry registry, String tenant, String entity) {
            this.accepted = counter(registry, tenant, entity, "accepted");
            this.rejected = counter(registry, tenant, entity, "rejected");
        }

        private static Counter counter(MeterRegistry registry, String tenant, String entity, String outcome) {
            return Counter.builder("hub.records")
                    .description("Records answered for, by tenant, entity and outcome")
                    .tag("tenant", tenant)
                    .tag("entity", entity)
                    .tag("outcome", outcome)
                    .register(registry);
        }
    }
}
