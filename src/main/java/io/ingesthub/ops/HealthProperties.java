package io.ingesthub.ops;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the readiness probe watches Kafka ({@code hub.health.*}): every {@code kafka-interval} a background check asks
 * the cluster to describe itself and gives up after {@code kafka-timeout}.
 */
@Validated
@ConfigurationProperties("hub.health")
public record HealthProperties(
        @NotNull @DefaultValue("5s") Duration kafkaInterval,
        @NotNull @DefaultValue("3s") Duration kafkaTimeout) {}
