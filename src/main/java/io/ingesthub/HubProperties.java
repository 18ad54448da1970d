package io.ingesthub;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** The hub's own settings ({@code hub.*}), validated at start-up so a bad value stops the hub with a clear message. */
@Validated
@ConfigurationProperties("hub")
public record HubProperties(
        @DefaultValue("demo") String defaultTenant,
        @Valid @NotNull @DefaultValue Topics topics,
        @Valid @NotNull @DefaultValue Kafka kafka,
        @Valid @NotNull @DefaultValue Limits limits) {

    /** Topic names: {@code <prefix><entity>.v1} and the dead-letter topic. */
    public record Topics(@NotNull @DefaultValue("ingest.") String prefix, @NotBlank @DefaultValue("dlq.v1") String dlq) {

        public String forEntity(String entity) {
            return prefix + entity + ".v1";
        }

        public String deadLetters() {
            return prefix + dlq;
        }
    }

    /**
     * Kafka settings of the hub: how long a request waits for Kafka's acknowledgement before it answers 503, and the
     * in-process broker of the local default (on when {@code camel.component.kafka.brokers} is not set).
     */
    public record Kafka(@NotNull @DefaultValue("10s") Duration ackTimeout, @Valid @NotNull @DefaultValue Embedded embedded) {}

    /** The local default's in-process KRaft broker. */
    public record Embedded(
            @DefaultValue("false") boolean enabled,
            @Min(1) @DefaultValue("9092") int port,
            @Min(0) @DefaultValue("0") int controllerPort,
            @NotBlank @DefaultValue("data/kafka") String dataDir,
            @Min(1) @DefaultValue("3") int partitions) {}

    /** Request limits, enforced before the body is buffered. */
    public record Limits(
            @NotNull @DefaultValue("10MB") DataSize maxBodyBytes,
            @Min(1) @DefaultValue("1000") int maxRecords,
            @Min(1) @DefaultValue("256") int maxInFlight,
            @NotNull @DefaultValue("1s") Duration retryAfter) {}
}
