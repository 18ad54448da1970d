package io.ingesthub.auth;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.ingesthub.registry.RateLimit;
import io.ingesthub.registry.Registry;
import io.ingesthub.web.ProblemException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Enforces each app's {@code rate-limit} from the registry (none when unset) with a resilience4j rate limiter per app
 * and replica, refusing with 429, {@code Retry-After} and {@code RateLimit-*} headers once a period's permits are spent.
 */
@Component
public class AppRateLimits {

    private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();

    private record Limiter(RateLimit limit, RateLimiter limiter) {}

    /** Takes one permit for {@code app}, or refuses the request with 429. */
    public void acquire(Registry.App app) {
        RateLimit limit = app.rateLimit();
        if (limit == null) {
            return;
        }
        Limiter l = limiters.get(app.key());
        if (l == null || !l.limit().equals(limit)) {
            l = limiters.compute(app.key(), (k, old) -> old != null && old.limit().equals(limit) ? old
                    : new Limiter(limit, RateLimiter.of(k, RateLimiterConfig.custom()
                            .limitForPeriod(limit.permits())
                            .limitRefreshPeriod(limit.period())
                            .timeoutDuration(Duration.ZERO)
                            .build())));
        }
        if (l.limiter().acquirePermission()) {
            return;
        }
        long nanos = l.limiter() instanceof AtomicRateLimiter atomic
                ? atomic.getDetailedMetrics().getNanosToWait() : limit.period().toNanos();
        String reset = Long.toString(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
        throw new ProblemException(429, "rate-limited", "Too many requests",
                "App '" + app.name() + "' may send " + limit.permits() + " requests per " + limit.period().toSeconds()
                        + " s (its rate-limit in the registry); retry in " + reset + " s.",
                Map.of("Retry-After", reset,
                        "RateLimit-Limit", Integer.toString(limit.permits()),
                        "RateLimit-Remaining", "0",
                        "RateLimit-Reset", reset,
                        "RateLimit-Policy", limit.policy()));
    }
}
