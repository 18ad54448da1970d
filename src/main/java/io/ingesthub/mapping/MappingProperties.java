package io.ingesthub.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the mapping sets live ({@code hub.mappings.dir}, one folder per set) and how often the hub looks for changed
 * files ({@code hub.mappings.reload-interval}; {@code 0s} turns the polling off).
 */
@Validated
@ConfigurationProperties("hub.mappings")
public record MappingProperties(
        @NotBlank @DefaultValue("mappings") String dir,
        @NotNull @DefaultValue("2s") Duration reloadInterval) {}
