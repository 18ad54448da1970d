package io.ingesthub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a sign-in key (a username with the caller's address), per replica, after {@code maxFailures} failed
 * sign-ins within a sliding {@code window}, until the oldest of them leaves the window.
 */
public final class LoginThrottle {

    private static final int PURGE_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Seconds until {@code username} may try again; 0 when it may try now. */
    public long retryAfterSeconds(String username) {
        Deque<Instant> times = failures.get(username);
        if (times == null) {
            return 0;
        }
        Instant now = clock.instant();
        synchronized (times) {
            drop(times, now);
            if (times.size() < maxFailures) {
                return 0;
            }
            Duration wait = Duration.between(now, times.peekFirst().plus(window));
            return Math.max(1, (wait.toMillis() + 999) / 1000);
        }
    }

    public void failed(String username) {
        if (failures.size() > PURGE_ABOVE) {
            purge();
        }
        Instant now = clock.instant();
        Deque<Instant> times = failures.computeIfAbsent(username, k -> new ArrayDeque<>());
        synchronized (times) {
            drop(times, now);
            times.addLast(now);
            while (times.size() > maxFailures) {
                times.removeFirst();
            }
        }
    }

    public void succeeded(String username) {
        failures.remove(username);
    }

    private void drop(Deque<Instant> times, Instant now) {
        Instant horizon = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }

    private void purge() {
        Instant now = clock.instant();
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                drop(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
    }
}
