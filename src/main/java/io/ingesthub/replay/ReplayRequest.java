package io.ingesthub.replay;

import java.time.Instant;

/**
 * What to replay: the records of one tenant's data source in {@code [since, until)} from the dead-letter topic or the
 * raw archive, optionally only one entity, dead letters whose {@code hub_error} contains a text, or one request.
 */
public record ReplayRequest(String tenant, String dataSource, String mappingSet, String from, Instant since,
        Instant until, String entity, String errorContains, String ingestId, boolean dryRun) {

    public static final String DLQ = "dlq";
    public static final String RAW = "raw";
}
