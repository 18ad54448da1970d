package io.ingesthub.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Every replica's view of all replays, folded from {@code <prefix>replays.v1}: key {@code <id>} holds a replay's latest
 * state, key {@code <id>:cancel} a cancel request that the replica running it obeys.
 */
@Component("replayBoard")
public class ReplayBoard {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayBoard.class);
    static final String CANCEL = ":cancel";

    private final ObjectMapper json;
    private final long lostAfterMillis;
    private final Clock clock;
    private final Map<String, ReplayState> states = new ConcurrentHashMap<>();
    private final Set<String> cancels = ConcurrentHashMap.newKeySet();

    @Autowired
    public ReplayBoard(ObjectMapper json, ReplayProperties properties) {
        this(json, properties, Clock.systemUTC());
    }

    public ReplayBoard(ObjectMapper json, ReplayProperties properties, Clock clock) {
        this.json = json;
        this.lostAfterMillis = properties.lostAfter().toMillis();
        this.clock = clock;
    }

    /** Folds one record of the state topic; a null value (tombstone) forgets the key. */
    public void fold(String key, String value) {
        if (key == null) {
            return;
        }
        if (key.endsWith(CANCEL)) {
            String id = key.substring(0, key.length() - CANCEL.length());
            if (value == null) {
                cancels.remove(id);
            } else {
                cancels.add(id);
            }
            return;
        }
        if (value == null) {
            states.remove(key);
            return;
        }
        try {
            put(json.readValue(value, ReplayState.class));
        } catch (IOException e) {
            LOG.warn("Skipped an unreadable replay state under key {}", key);
        }
    }

    /** Keeps {@code state} unless the board already holds a newer report of the same replay. */
    void put(ReplayState state) {
        states.merge(state.id(), state, (old, next) -> newer(next, old) ? next : old);
    }

    /** The replay as a reader should see it, or null when no replica ever reported it. */
    public ReplayState get(String id) {
        ReplayState s = states.get(id);
        if (s == null) {
            return null;
        }
        Instant now = clock.instant();
        if (s.running() && s.heartbeatAt() != null && now.toEpochMilli() - s.heartbeatAt().toEpochMilli() > lostAfterMillis) {
            return s.lost(now);
        }
        return s;
    }

    /** Every replay, newest first. */
    public List<ReplayState> all() {
        List<ReplayState> out = new ArrayList<>();
        for (String id : states.keySet()) {
            ReplayState s = get(id);
            if (s != null) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(ReplayState::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    public boolean cancelRequested(String id) {
        return cancels.contains(id);
    }

    void requestCancel(String id) {
        cancels.add(id);
    }

    private static boolean newer(ReplayState next, ReplayState old) {
        if (!old.running() && next.running()) {
            return false;
        }
        if (old.heartbeatAt() == null || next.heartbeatAt() == null) {
            return true;
        }
        return !next.heartbeatAt().isBefore(old.heartbeatAt());
    }
}
