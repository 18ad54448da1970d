package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ingesthub.HubStartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.mock.env.MockEnvironment;
import org.yaml.snakeyaml.Yaml;

/** hub.limits.max-record-bytes and the producer's max.request.size follow each other, and compose's topics take both. */
class KafkaSizesTest {

    private static ConfigurableEnvironment derive(Map<String, Object> settings) {
        MockEnvironment env = new MockEnvironment();
        settings.forEach((k, v) -> env.setProperty(k, v.toString()));
        new KafkaTimeoutsEnvironment().postProcessEnvironment(env, null);
        return env;
    }

    @Test
    void theRequestSizeIsDerivedFromTheRecordLimitAndItsDefault() {
        assertThat(derive(Map.of()).getProperty("camel.component.kafka.max-request-size"))
                .isEqualTo(Long.toString(1024 * 1024 + RecordSizeLimit.ENVELOPE_BYTES));
        assertThat(derive(Map.of("hub.limits.max-record-bytes", "4MB")).getProperty("camel.component.kafka.max-request-size"))
                .isEqualTo(Long.toString(4 * 1024 * 1024 + RecordSizeLimit.ENVELOPE_BYTES));
    }

    @Test
    void theRecordLimitIsDerivedFromAnExplicitRequestSize() {
        assertThat(derive(Map.of("camel.component.kafka.max-request-size", "2097152")).getProperty("hub.limits.max-record-bytes"))
                .isEqualTo(Long.toString(2097152 - RecordSizeLimit.ENVELOPE_BYTES));
    }

    @Test
    void aRecordLimitTheRequestSizeCannotCarryStopsTheStart() {
        assertThatThrownBy(() -> derive(Map.of("hub.limits.max-record-bytes", "2MB",
                "camel.component.kafka.max-request-size", "1048576")))
                .isInstanceOf(HubStartupException.class)
                .hasMessageContaining("max-request-size");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeCreatesTheTopicsWithTheDefaultRequestSizeAsMaxMessageBytes() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> init = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("kafka-init");
        String command = ((List<String>) init.get("command")).get(0);
        assertThat(command).contains("--config max.message.bytes="
                + RecordSizeLimit.maxRequestSize(RecordSizeLimit.DEFAULT_BYTES));
    }
}
