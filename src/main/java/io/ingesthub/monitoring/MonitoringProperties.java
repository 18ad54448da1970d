package io.ingesthub.monitoring;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Monitoring settings ({@code hub.monitoring.*}): the executions topic after {@code hub.topics.prefix}, and the bounds
 * of the window every replica folds it into (executions kept per data source, and for how long).
 */
@Validated
@ConfigurationProperties("hub.monitoring")
public record MonitoringProperties(
        @NotBlank @DefaultValue("executions.v1") String topic,
        @Min(1) @DefaultValue("2000") int perDataSource,
        @NotNull @DefaultValue("24h") Duration maxAge,
        @Min(1) @DefaultValue("10000") int queue) {}
