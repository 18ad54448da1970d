package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ingesthub.HubStartupException;
import io.ingesthub.IngestHubApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.NestedExceptionUtils;

/** What the prod profile refuses to start with, each named: a {noop} or demo secret, a placeholder of .env.example. */
class ProdStartTest {

    private static final String HASHED = """
            tenants:
              acme:
                data-sources:
                  ds: { mappings: servicenow }
                apps:
                  app: { app-token: "{sha256}6e3469c5a2c6371508ba6a3226827eb6621806bd1846400ecf80081591b56fb8", data-source: ds }
            """;

    @TempDir
    Path dir;

    @Test
    void refusesTheShippedDemoRegistryNamingEachUnsafeSecret() {
        HubStartupException refusal = startProd(Map.of("hub.registry.file", "config/tenants.yaml"));

        assertThat(refusal.getMessage()).contains(
                "tenants.demo.apps.itsm-assistant.app-token is stored as {noop} plain text",
                "tenants.demo.service-accounts.svc-ingest@demo.local.password is stored as {noop} plain text",
                "is the demo app token", "is the demo password");
        assertThat(refusal.action()).contains("{sha256}", "{bcrypt}");
    }

    @Test
    void refusesThePlaceholderOperatorPassword() throws Exception {
        Path registry = Files.writeString(dir.resolve("tenants.yaml"), HASHED);
        HubStartupException refusal = startProd(Map.of("hub.registry.file", registry.toString(),
                "hub.admin.password", "change-me"));

        assertThat(refusal.action()).contains("HUB_ADMIN_PASSWORD");
    }

    @Test
    void refusesToStartWithoutAnAudience() throws Exception {
        Path registry = Files.writeString(dir.resolve("tenants.yaml"), HASHED);
        Map<String, Object> properties = new HashMap<>(Map.of("hub.registry.file", registry.toString()));
        properties.put("hub.tokens.audience", "");
        HubStartupException refusal = startProd(properties);

        assertThat(refusal.action()).contains("HUB_TOKENS_AUDIENCE");
    }

    private HubStartupException startProd(Map<String, ?> overrides) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", "0",
                "camel.component.kafka.brokers", "127.0.0.1:1",
                "hub.tokens.secret", "prod-start-test-secret-0123456789abcdefghij",
                "hub.tokens.audience", "https://prod-start-test.example.com",
                "hub.admin.username", "ops",
                "hub.admin.password", "a-real-operator-password",
                "hub.warmup.enabled", "false",
                "hub.mappings.dir", "mappings"));
        properties.putAll(overrides);
        // As command-line arguments, which come before application.yaml (default properties come after it).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(IngestHubApplication.class)
                .profiles("prod").run(args).close());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof HubStartupException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as(String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure))).isNotNull();
        return (HubStartupException) cause;
    }
}
