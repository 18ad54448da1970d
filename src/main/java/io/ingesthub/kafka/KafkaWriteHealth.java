package io.ingesthub.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the hub's own writes to Kafka say about it: the outcome of every send of the pipeline's producer, so that
 * readiness can be DOWN while writes fail even though the cluster still answers metadata (not enough in-sync
 * replicas, a topic refused). A failure streak counts while it is recent ({@code hub.health.write-failure-window}),
 * so a replica taken out of service is tried again; the next success ends it.
 */
@Component
public class KafkaWriteHealth {

    private final Clock clock;
    private final Duration window;
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private volatile Instant lastFailureAt;
    private volatile String lastError;
    private volatile long lastSuccessMillis = -1;
    private volatile boolean clusterAnswers;

    @Autowired
    public KafkaWriteHealth(@Value("${hub.health.write-failure-window:30s}") Duration window) {
        this(Clock.systemUTC(), window);
    }

    KafkaWriteHealth(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    /** Called for every record Kafka acknowledged, on the producer's network thread: no allocation, one write. */
    public void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        lastSuccessMillis = clock.millis();
    }

    public void failed(Throwable error) {
        consecutiveFailures.incrementAndGet();
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
        lastFailureAt = clock.instant();
    }

    /** Whether the most recent sends failed, within the window: the reason, or null while writes work. */
    public String failing() {
        Instant at = lastFailureAt;
        if (consecutiveFailures.get() == 0 || at == null || at.isBefore(clock.instant().minus(window))) {
            return null;
        }
        return consecutiveFailures.get() + " consecutive sends failed, last at " + at + " (" + lastError + ")";
    }

    public Instant lastSuccessAt() {
        long at = lastSuccessMillis;
        return at < 0 ? null : Instant.ofEpochMilli(at);
    }

    /** Set by the readiness probe: whether the cluster answered its last check. */
    public void clusterAnswers(boolean answers) {
        this.clusterAnswers = answers;
    }

    public boolean clusterAnswers() {
        return clusterAnswers;
    }
}
