package io.ingesthub.sources;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The delivery ids this replica answered recently, keyed by tenant, data source and id, each with the answer given
 * then, so a redelivery gets the same answer and publishes nothing twice. Bounded in size and age; another replica
 * does not see these ids.
 *
 * @param <A> the remembered answer
 */
public final class DeliveryIds<A> {

    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final LinkedHashMap<Key, Entry<A>> entries = new LinkedHashMap<>(16, 0.75f, false);

    public DeliveryIds(Clock clock, Duration ttl, int capacity) {
        if (ttl.isNegative() || ttl.isZero() || capacity < 1) {
            throw new IllegalArgumentException("a delivery id cache needs a positive ttl and capacity");
        }
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    /** The answer remembered for this delivery id, or {@code null} when it is new here or forgotten. */
    public synchronized A earlier(String tenant, String dataSource, String deliveryId) {
        Instant now = clock.instant();
        evictExpired(now);
        Entry<A> e = entries.get(new Key(tenant, dataSource, deliveryId));
        return e == null ? null : e.answer;
    }

    /** Remembers the answer given to a delivery; the oldest entry goes when the cache is full. */
    public synchronized void remember(String tenant, String dataSource, String deliveryId, A answer) {
        Objects.requireNonNull(answer, "answer");
        Instant now = clock.instant();
        evictExpired(now);
        Key key = new Key(tenant, dataSource, deliveryId);
        entries.remove(key);
        entries.put(key, new Entry<>(answer, now.plus(ttl)));
        while (entries.size() > capacity) {
            Iterator<Key> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized int size() {
        evictExpired(clock.instant());
        return entries.size();
    }

    /** Entries are in insertion order, so expired ones are at the head. */
    private void evictExpired(Instant now) {
        Iterator<Map.Entry<Key, Entry<A>>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().expires.isAfter(now)) {
                return;
            }
            it.remove();
        }
    }

    private record Key(String tenant, String dataSource, String deliveryId) {}

    private record Entry<A>(A answer, Instant expires) {}
}
