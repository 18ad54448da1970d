package io.ingesthub.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * Where one replay stands, as kept in the compacted {@code <prefix>replays.v1} (key = replay id): what was asked, the
 * status ({@code running}, {@code done}, {@code cancelled}, {@code failed}), the counts, the first rejection reasons,
 * a dry run's mapped output, and the heartbeat of the replica that runs it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayState(
        String id,
        String tenant,
        String dataSource,
        String from,
        Instant since,
        Instant until,
        String entity,
        String errorContains,
        String ingestId,
        boolean dryRun,
        String status,
        long scanned,
        long matched,
        long accepted,
        long rejected,
        List<String> rejections,
        List<JsonNode> outputs,
        String error,
        String worker,
        Instant startedAt,
        Instant heartbeatAt,
        Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";

    public boolean running() {
        return RUNNING.equals(status);
    }

    /** This state as seen by a reader: a running replay whose worker fell silent is failed, "worker lost". */
    ReplayState lost(Instant now) {
        return new ReplayState(id, tenant, dataSource, from, since, until, entity, errorContains, ingestId, dryRun,
                FAILED, scanned, matched, accepted, rejected, rejections, outputs,
                "worker lost: no heartbeat from " + worker + " since " + heartbeatAt, worker, startedAt, heartbeatAt,
                now);
    }
}
