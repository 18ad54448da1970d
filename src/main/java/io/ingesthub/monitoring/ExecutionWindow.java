package io.ingesthub.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The executions of every data source, folded from {@code <prefix>executions.v1} into a bounded window (the newest
 * {@code per-data-source} executions of each, none older than {@code max-age}): recent executions, stats over a
 * window, the last errors. Every replica folds the whole topic, so every replica answers alike.
 */
@Component("executionsWindow")
public class ExecutionWindow {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionWindow.class);

    /** Counts of one data source over a window; {@code deadLetters} is the number of records sent to the DLQ. */
    public record Stats(String tenant, String dataSource, Duration window, long requests, long accepted, long rejected,
            Map<Integer, Long> byStatus, Instant lastSuccess, Instant lastFailure, String lastFailureReason,
            long deadLetters, long errors, Instant first, Instant last, long durationMs) {}

    /** Accepted and rejected records of one time slice, for the status page's chart. */
    public record Bucket(Instant start, long accepted, long rejected) {}

    private final ObjectMapper json;
    private final int perSource;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, ArrayDeque<Execution>> sources = new ConcurrentHashMap<>();
    private volatile long unreadable;

    @Autowired
    public ExecutionWindow(ObjectMapper json, MonitoringProperties properties) {
        this(json, properties, Clock.systemUTC());
    }

    public ExecutionWindow(ObjectMapper json, MonitoringProperties properties, Clock clock) {
        this.json = json;
        this.perSource = properties.perDataSource();
        this.maxAge = properties.maxAge();
        this.clock = clock;
    }

    /**
     * Folds one value of the executions topic: a JSON array of executions (what the publisher sends) or a single one
     * (records written before batching); an unreadable value is counted and skipped, never thrown.
     */
    public void fold(String value) {
        if (value == null) {
            return;
        }
        try {
            if (value.stripLeading().startsWith("[")) {
                for (Execution e : json.readValue(value, Execution[].class)) {
                    if (e == null) {
                        unreadable++;
                    } else {
                        add(e);
                    }
                }
            } else {
                add(json.readValue(value, Execution.class));
            }
        } catch (IOException ex) {
            unreadable++;
            LOG.warn("Skipped an unreadable executions record: {}", ex.getClass().getSimpleName());
        }
    }

    public void add(Execution e) {
        if (e.tenant() == null || e.dataSource() == null || e.time() == null) {
            unreadable++;
            return;
        }
        ArrayDeque<Execution> q = sources.computeIfAbsent(e.source(), k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(e);
            while (q.size() > perSource) {
                q.removeFirst();
            }
            expireOldest(q);
        }
    }

    /** The tenant:data-source pairs that have executions in the window. */
    public Set<String> sources() {
        return new TreeSet<>(sources.keySet());
    }

    /** The newest executions of a data source, newest first. */
    public List<Execution> recent(String tenant, String dataSource, int limit) {
        List<Execution> out = new ArrayList<>();
        for (Execution e : newestFirst(tenant, dataSource)) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** The newest executions that failed or rejected records, newest first. */
    public List<Execution> errors(String tenant, String dataSource, int limit) {
        List<Execution> out = new ArrayList<>();
        for (Execution e : newestFirst(tenant, dataSource)) {
            if (out.size() >= limit) {
                break;
            }
            if (!e.succeeded()) {
                out.add(e);
            }
        }
        return out;
    }

    /** The executions of the last {@code window}, counted. */
    public Stats stats(String tenant, String dataSource, Duration window) {
        Instant from = clock.instant().minus(window);
        long requests = 0, accepted = 0, rejected = 0, errors = 0, duration = 0;
        Map<Integer, Long> byStatus = new TreeMap<>();
        Instant lastSuccess = null, lastFailure = null, first = null, last = null;
        String reason = null;
        for (Execution e : snapshot(tenant, dataSource)) {
            if (e.time().isBefore(from)) {
                continue;
            }
            requests++;
            accepted += e.accepted();
            rejected += e.rejected();
            duration += e.durationMs();
            byStatus.merge(e.status(), 1L, Long::sum);
            first = first == null || e.time().isBefore(first) ? e.time() : first;
            last = last == null || e.time().isAfter(last) ? e.time() : last;
            if (e.succeeded()) {
                lastSuccess = lastSuccess == null || e.time().isAfter(lastSuccess) ? e.time() : lastSuccess;
            } else {
                errors++;
                if (lastFailure == null || !e.time().isBefore(lastFailure)) {
                    lastFailure = e.time();
                    reason = e.reason();
                }
            }
        }
        return new Stats(tenant, dataSource, window, requests, accepted, rejected, byStatus, lastSuccess, lastFailure,
                reason, rejected, errors, first, last, duration);
    }

    /** Accepted and rejected records over the last {@code window} in {@code buckets} equal slices, oldest first. */
    public List<Bucket> series(String tenant, String dataSource, Duration window, int buckets) {
        Instant end = clock.instant();
        Instant start = end.minus(window);
        long slice = Math.max(1, window.toMillis() / buckets);
        long[] acc = new long[buckets];
        long[] rej = new long[buckets];
        for (Execution e : snapshot(tenant, dataSource)) {
            long at = e.time().toEpochMilli() - start.toEpochMilli();
            if (at < 0 || e.time().isAfter(end)) {
                continue;
            }
            int i = (int) Math.min(buckets - 1, at / slice);
            acc[i] += e.accepted();
            rej[i] += e.rejected();
        }
        List<Bucket> out = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            out.add(new Bucket(start.plusMillis(i * slice), acc[i], rej[i]));
        }
        return out;
    }

    /** The tenant of the execution with this ingest id, or null when the window has none. */
    public String tenantOf(String ingestId) {
        for (ArrayDeque<Execution> q : sources.values()) {
            synchronized (q) {
                for (Execution e : q) {
                    if (ingestId.equals(e.ingestId())) {
                        return e.tenant();
                    }
                }
            }
        }
        return null;
    }

    /** Values of the topic that could not be read, since start. */
    public long unreadable() {
        return unreadable;
    }

    private List<Execution> snapshot(String tenant, String dataSource) {
        ArrayDeque<Execution> q = sources.get(tenant + ":" + dataSource);
        if (q == null) {
            return new ArrayList<>();
        }
        synchronized (q) {
            expire(q);
            return new ArrayList<>(q);
        }
    }

    private List<Execution> newestFirst(String tenant, String dataSource) {
        List<Execution> all = snapshot(tenant, dataSource);
        all.sort((a, b) -> b.time().compareTo(a.time()));
        return all;
    }

    /** Drops every execution older than max-age; O(n), for the (rare) reads. */
    private void expire(ArrayDeque<Execution> q) {
        Instant oldest = clock.instant().minus(maxAge);
        q.removeIf(e -> e.time().isBefore(oldest));
    }

    /** Drops expired executions from the head only: amortised O(1) per fold; reads still drop every expired one. */
    private void expireOldest(ArrayDeque<Execution> q) {
        Instant oldest = clock.instant().minus(maxAge);
        while (!q.isEmpty() && q.peekFirst().time().isBefore(oldest)) {
            q.removeFirst();
        }
    }
}
