package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ingesthub.HubStartupException;
import io.ingesthub.HubStartupFailureAnalyzer;
import io.ingesthub.kafka.LocalKafkaEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.core.userdetails.UserDetailsService;

/** What the prod profile refuses to start without, and how it says so. */
class StartupChecksTest {

    @Test
    void refusesToStartWithoutKafkaBrokersWhereTheLocalBrokerIsNotAllowed() {
        StandardEnvironment env = environment(Map.of("hub.kafka.embedded.allowed", "false"));

        assertThatThrownBy(() -> new LocalKafkaEnvironment().postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(HubStartupException.class)
                .hasMessageContaining("No Kafka cluster is configured")
                .satisfies(e -> assertThat(((HubStartupException) e).action()).contains("KAFKA_BROKERS"));
    }

    @Test
    void startsTheLocalBrokerOnlyWhereAllowed() {
        StandardEnvironment local = environment(Map.of());
        new LocalKafkaEnvironment().postProcessEnvironment(local, new SpringApplication());
        assertThat(local.getProperty("hub.kafka.embedded.enabled")).isEqualTo("true");

        StandardEnvironment cluster = environment(Map.of("hub.kafka.embedded.allowed", "false",
                "camel.component.kafka.brokers", "kafka-1:9092"));
        new LocalKafkaEnvironment().postProcessEnvironment(cluster, new SpringApplication());
        assertThat(cluster.getProperty("hub.kafka.embedded.enabled")).isNull();
        assertThat(cluster.getProperty("camel.component.kafka.brokers")).isEqualTo("kafka-1:9092");
    }

    @Test
    void refusesTheOperatorLoginWithoutCredentials() {
        assertThatThrownBy(() -> new AdminSecurity().operatorLogin(new AdminProperties(true, "ops", " ", false)))
                .isInstanceOf(HubStartupException.class)
                .satisfies(e -> assertThat(((HubStartupException) e).action()).contains("HUB_ADMIN_PASSWORD"));
    }

    @Test
    void acceptsAPlainOrAnEncodedOperatorPassword() {
        UserDetailsService plain = new AdminSecurity().operatorLogin(new AdminProperties(true, "ops", "s3cret", false));
        assertThat(plain.loadUserByUsername("ops").getPassword()).isEqualTo("{noop}s3cret");
        assertThat(plain.loadUserByUsername("ops").getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");

        String bcrypt = "{bcrypt}$2a$10$abcdefghijklmnopqrstuuJ6Vq3Q1Dxg5dQp2m9gk1c2r1x8o5s6e";
        UserDetailsService encoded = new AdminSecurity().operatorLogin(new AdminProperties(true, "ops", bcrypt, false));
        assertThat(encoded.loadUserByUsername("ops").getPassword()).isEqualTo(bcrypt);
    }

    @Test
    void refusesThePlaceholderOperatorPasswordsOfTheExampleFiles() throws Exception {
        java.util.List<String> shipped = new java.util.ArrayList<>(java.util.List.of("change-me", ""));
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(".env.example"))) {
            if (line.startsWith("HUB_ADMIN_PASSWORD=")) {
                shipped.add(line.substring("HUB_ADMIN_PASSWORD=".length()));
            }
        }
        for (String placeholder : shipped) {
            assertThatThrownBy(() -> new AdminSecurity().operatorLogin(new AdminProperties(true, "ops", placeholder, false)))
                    .as("'%s'", placeholder)
                    .isInstanceOf(HubStartupException.class)
                    .satisfies(e -> assertThat(((HubStartupException) e).action()).contains("HUB_ADMIN_PASSWORD"));
        }
    }

    @Test
    void reportsARefusalAsProblemAndAction() {
        HubStartupException refusal = new HubStartupException("what is wrong", "what to set");
        FailureAnalysis analysis = new HubStartupFailureAnalyzer().analyze(new IllegalStateException(refusal));
        assertThat(analysis.getDescription()).isEqualTo("what is wrong");
        assertThat(analysis.getAction()).isEqualTo("what to set");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }
}
