package io.ingesthub.monitoring;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.time.Instant;

/**
 * One finished request as monitoring sees it, the value of {@code <prefix>executions.v1}: who sent what and how it
 * ended; never a credential or a payload. {@code reason} is the refusal's detail (or the first rejection) when the
 * request did not fully succeed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Execution(
        String ingestId,
        String tenant,
        String dataSource,
        String app,
        String entity,
        int status,
        int accepted,
        int rejected,
        long durationMs,
        String reason,
        Instant time) {

    /** True when the request ended in a 2xx with every record accepted. */
    public boolean succeeded() {
        return status >= 200 && status < 300 && rejected == 0;
    }

    /** The window's key: executions are folded per tenant and data source. */
    public String source() {
        return tenant + ":" + dataSource;
    }
}
