package io.ingesthub.registry;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the tenant registry lives ({@code hub.registry.file}) and how often it is checked for changes
 * ({@code hub.registry.poll-interval}; {@code 0} turns polling off, {@link TenantRegistry#reload()} still works).
 */
@Validated
@ConfigurationProperties("hub.registry")
public record RegistryProperties(
        @NotNull @DefaultValue("config/tenants.yaml") Path file,
        @NotNull @DefaultValue("2s") Duration pollInterval) {}
