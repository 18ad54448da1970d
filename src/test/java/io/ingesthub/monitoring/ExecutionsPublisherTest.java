package io.ingesthub.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A flush interval that would never flush, or would hold executions back for long, stops the hub at start. */
class ExecutionsPublisherTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bind.class);

    @Configuration
    @EnableConfigurationProperties(MonitoringProperties.class)
    static class Bind {}

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-1s", "10001ms", "1h"})
    void refusesAFlushIntervalOutsideItsBounds(String interval) {
        runner.withPropertyValues("hub.monitoring.flush-interval=" + interval)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("flushInterval"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "250ms", "10s"})
    void bindsAFlushIntervalWithinItsBounds(String interval) {
        runner.withPropertyValues("hub.monitoring.flush-interval=" + interval)
                .run(context -> assertThat(context.getBean(MonitoringProperties.class).flushInterval())
                        .isEqualTo(DurationStyle.detectAndParse(interval)));
    }
}
