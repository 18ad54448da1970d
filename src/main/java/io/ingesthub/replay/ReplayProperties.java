package io.ingesthub.replay;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Replay settings ({@code hub.replay.*}): the compacted state topic and the raw archive topic (after
 * {@code hub.topics.prefix}), the pace of a replay in records per second, how often a running replay reports, after how
 * long without a report it counts as lost, and how many replays one replica runs at once.
 */
@Validated
@ConfigurationProperties("hub.replay")
public record ReplayProperties(
        @NotBlank @DefaultValue("replays.v1") String topic,
        @NotBlank @DefaultValue("raw.v1") String rawTopic,
        @Min(1) @DefaultValue("200") int rate,
        @NotNull @DefaultValue("1s") Duration heartbeat,
        @NotNull @DefaultValue("15s") Duration lostAfter,
        @Min(1) @DefaultValue("2") int concurrent,
        @Min(0) @DefaultValue("20") int dryRunOutputs) {}
