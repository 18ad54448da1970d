package io.ingesthub;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Failed sign-ins per username over a sliding window, on an injected clock. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(1), clock);

    @Test
    void refusesAUsernameAfterTooManyFailuresUntilTheOldestLeavesTheWindow() {
        throttle.failed("demo/alice");
        clock.advance(Duration.ofSeconds(20));
        throttle.failed("demo/alice");
        assertThat(throttle.retryAfterSeconds("demo/alice")).isZero();
        throttle.failed("demo/alice");

        assertThat(throttle.retryAfterSeconds("demo/alice")).isEqualTo(40);
        assertThat(throttle.retryAfterSeconds("demo/bob")).isZero();

        clock.advance(Duration.ofSeconds(40));
        assertThat(throttle.retryAfterSeconds("demo/alice")).isZero();
    }

    @Test
    void forgetsFailuresAfterASuccess() {
        throttle.failed("demo/alice");
        throttle.failed("demo/alice");
        throttle.succeeded("demo/alice");
        throttle.failed("demo/alice");

        assertThat(throttle.retryAfterSeconds("demo/alice")).isZero();
    }
}
