package io.ingesthub.monitoring;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Monitoring settings ({@code hub.monitoring.*}): the executions topic after {@code hub.topics.prefix}, the bounds
 * of the window every replica folds it into (executions kept per data source, and for how long), and how the
 * publisher batches: executions queued (at most {@code queue}) are sent every {@code flush-interval} (above 0, at most 10 s), at most
 * {@code batch} of one data source per Kafka record.
 */
@Validated
@ConfigurationProperties("hub.monitoring")
public record MonitoringProperties(
        @NotBlank @DefaultValue("executions.v1") String topic,
        @Min(1) @DefaultValue("2000") int perDataSource,
        @NotNull @DefaultValue("24h") Duration maxAge,
        @Min(1) @DefaultValue("10000") int queue,
        @NotNull @DurationMin(millis = 1) @DurationMax(seconds = 10) @DefaultValue("250ms") Duration flushInterval,
        @Min(1) @Max(1000) @DefaultValue("200") int batch) {}
