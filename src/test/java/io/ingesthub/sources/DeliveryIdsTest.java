package io.ingesthub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-replica duplicate guard: remembers answers by tenant, data source and id, for a while and up to a size. */
class DeliveryIdsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final DeliveryIds<String> ids = new DeliveryIds<>(clock, Duration.ofMinutes(10), 3);

    @Test
    void answersARedeliveryWithTheEarlierAnswer() {
        assertThat(ids.earlier("acme", "acme-jira", "d-1")).isNull();
        ids.remember("acme", "acme-jira", "d-1", "200 first");

        assertThat(ids.earlier("acme", "acme-jira", "d-1")).isEqualTo("200 first");
    }

    @Test
    void keepsTenantsAndDataSourcesApart() {
        ids.remember("acme", "acme-jira", "d-1", "acme");

        assertThat(ids.earlier("demo", "acme-jira", "d-1")).isNull();
        assertThat(ids.earlier("acme", "acme-github", "d-1")).isNull();
    }

    @Test
    void forgetsAnIdAfterItsTimeToLive() {
        ids.remember("acme", "acme-jira", "d-1", "x");
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(ids.earlier("acme", "acme-jira", "d-1")).isEqualTo("x");

        clock.advance(Duration.ofSeconds(1));
        assertThat(ids.earlier("acme", "acme-jira", "d-1")).isNull();
        assertThat(ids.size()).isZero();
    }

    @Test
    void dropsTheOldestIdWhenFull() {
        for (int i = 1; i <= 4; i++) {
            ids.remember("acme", "acme-jira", "d-" + i, "a" + i);
        }

        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.earlier("acme", "acme-jira", "d-1")).isNull();
        assertThat(ids.earlier("acme", "acme-jira", "d-4")).isEqualTo("a4");
    }

    @Test
    void rememberingAgainRenewsTheIdsTimeToLive() {
        ids.remember("acme", "acme-jira", "d-1", "a");
        clock.advance(Duration.ofMinutes(6));
        ids.remember("acme", "acme-jira", "d-1", "b");
        clock.advance(Duration.ofMinutes(6));

        assertThat(ids.earlier("acme", "acme-jira", "d-1")).isEqualTo("b");
    }

    @Test
    void readsADeliveryIdFromItsHeaderOrLeavesAJsonPathToTheCaller() {
        assertThat(DeliveryIdSource.parse("header:X-GitHub-Delivery").fromHeaders(n ->
                n.equalsIgnoreCase("x-github-delivery") ? " 72d3162e " : null)).isEqualTo("72d3162e");
        assertThat(DeliveryIdSource.parse("jsonpath:$.event.id").kind()).isEqualTo(DeliveryIdSource.Kind.JSONPATH);
        assertThat(DeliveryIdSource.parse("jsonpath:$.event.id").fromHeaders(n -> "x")).isNull();
    }
}
