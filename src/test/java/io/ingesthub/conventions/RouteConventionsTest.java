package io.ingesthub.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.Endpoint;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.SetVariableDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Loads every {@code routes/*.yaml} into a bare CamelContext and checks the project's route conventions. */
class RouteConventionsTest {

    private static final Path ROUTES = Path.of("routes");
    private static CamelContext camel;
    private static List<Loaded> loaded;

    record Loaded(Path file, RouteDefinition route) {}

    @BeforeAll
    static void loadRoutes() throws Exception {
        camel = new DefaultCamelContext();
        loaded = new ArrayList<>();
        ModelCamelContext model = (ModelCamelContext) camel;
        for (Path file : routeFiles()) {
            int before = model.getRouteDefinitions().size();
            Resource resource = ResourceHelper.resolveMandatoryResource(camel, "file:" + file);
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource)) {
                camel.addRoutes(builder);
                builder.addTemplatedRoutesToCamelContext(camel);
            }
            List<RouteDefinition> all = model.getRouteDefinitions();
            for (RouteDefinition r : all.subList(before, all.size())) {
                loaded.add(new Loaded(file, r));
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.indexOf('.')).replaceFirst("^_", "");
    }

    @Test
    void everyRouteFileLoadsAndHoldsOneRouteNamedAfterIt() throws IOException {
        List<Path> files = routeFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            List<Loaded> routes = loaded.stream().filter(l -> l.file().equals(file)).toList();
            if (stem(file).equals("errors")) {
                assertThat(routes).as(file + " holds only the shared route configuration").isEmpty();
                continue;
            }
            if (file.equals(Path.of(Endpoint.TABLE))) {
                assertThat(routes).extracting(r -> r.route().getRouteId()).as(file + " holds one route per endpoint")
                        .containsExactlyElementsOf(Endpoint.table().stream().map(Endpoint::routeId).toList());
                continue;
            }
            assertThat(routes).as(file + " holds routes").isNotEmpty();
            assertThat(routes.get(0).route().getRouteId()).as("first route id of " + file).isEqualTo(stem(file));
            for (Loaded l : routes) {
                assertThat(l.route().getRouteId()).as("route ids of " + file + " start with its stem")
                        .startsWith(stem(file));
            }
        }
    }

    @Test
    void everyRouteFileValidatesAgainstTheYamlDslSchemaOfVisualEditors() throws IOException {
        JsonSchema schema;
        try (InputStream in = RouteConventionsTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json from camel-yaml-dsl").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(new ObjectMapper().readTree(in));
        }
        ObjectMapper json = new ObjectMapper();
        for (Path file : routeFiles()) {
            Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            Set<ValidationMessage> errors = schema.validate(json.valueToTree(yaml));
            assertThat(errors).as(file.toString()).isEmpty();
        }
    }

    @Test
    void routeIdsAreKebabCase() {
        for (Loaded l : loaded) {
            assertThat(l.route().getRouteId()).as(l.file().toString()).matches("[a-z0-9]+(-[a-z0-9]+)*");
        }
    }

    @Test
    void everyRouteServingRequestsAnswersErrorsInItsProtocol() {
        ModelCamelContext model = (ModelCamelContext) camel;
        assertThat(model.getRouteConfigurationDefinitions()).extracting(RouteConfigurationDefinition::getId)
                .as("problem+json for the webhooks, RFC 6749 for the token endpoint")
                .containsExactlyInAnyOrder("errors", "oauth-errors");
        assertThat(errorAnswer(model, "errors")).isEqualTo("problems.answer");
        assertThat(errorAnswer(model, "oauth-errors")).isEqualTo("tokenEndpoint.refuse");
        for (Loaded l : loaded) {
            String uri = l.route().getInput().getEndpointUri();
            if (uri.startsWith("timer:")) {
                continue;
            }
            String expected = l.route().getRouteId().equals("token") ? "oauth-errors" : "errors";
            assertThat(l.route().getRouteConfigurationId())
                    .as(l.file() + ": route " + l.route().getRouteId() + " references routeConfiguration '" + expected + "'")
                    .isEqualTo(expected);
        }
    }

    @Test
    void backgroundWorkRunsOnTimerRoutes() {
        assertThat(loaded).extracting(l -> l.route().getRouteId())
                .contains("registry-poll", "mapping-reload", "kafka-health");
        for (Loaded l : loaded) {
            if (l.route().getInput().getEndpointUri().startsWith("timer:")) {
                assertThat(l.route().getInput().getEndpointUri()).as(l.file() + ": the period is a placeholder")
                        .contains("period={{");
            }
        }
    }

    /** The bean and method the only onException of a route configuration calls, as {@code bean.method}. */
    private static String errorAnswer(ModelCamelContext model, String id) {
        RouteConfigurationDefinition config = model.getRouteConfigurationDefinitions().stream()
                .filter(c -> c.getId().equals(id)).findFirst().orElseThrow();
        assertThat(config.getOnExceptions()).as("onException of " + id).hasSize(1);
        ProcessorDefinition<?> step = config.getOnExceptions().get(0).getOutputs().get(0);
        assertThat(step).as("the answer step of " + id).isInstanceOf(BeanDefinition.class);
        BeanDefinition bean = (BeanDefinition) step;
        return bean.getRef() + "." + bean.getMethod();
    }

    @Test
    void webhookRoutesAcceptPostOnlyAndHandOffToThePipeline() {
        for (Loaded l : loaded) {
            FromDefinition from = l.route().getInput();
            String uri = from.getEndpointUri();
            if (!uri.startsWith("platform-http:")) {
                continue;
            }
            if (sendUris(l.route().getOutputs()).contains("direct:ingest")) {
                assertThat(uri).as(l.file().toString()).contains("httpMethodRestrict=POST");
                assertThat(l.route().getOutputs()).as(l.file() + " names its entity")
                        .anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(SetVariableDefinition.class,
                                v -> assertThat(v.getName()).isEqualTo("entity")));
            }
        }
        List<String> webhooks = loaded.stream().filter(l -> sendUris(l.route().getOutputs()).contains("direct:ingest"))
                .map(l -> l.route().getRouteId()).toList();
        assertThat(webhooks).as("the routes handing off to the pipeline are the endpoint table's")
                .containsExactlyInAnyOrderElementsOf(Endpoint.table().stream().map(Endpoint::routeId).toList());
    }

    @Test
    void endpointsUseNoMocksAndKafkaTopicsArePlaceholders() {
        for (Loaded l : loaded) {
            for (String uri : sendUris(l.route().getOutputs())) {
                assertThat(uri).as(l.file().toString()).doesNotStartWith("mock:");
                if (uri.startsWith("kafka:")) {
                    String topic = uri.substring("kafka:".length()).split("\\?")[0];
                    assertThat(topic).as("Kafka topic in " + l.file() + " is a placeholder").matches("(\\{\\{[^}]+}})+");
                    assertThat(uri).as("brokers live in camel.component.kafka.*").doesNotContain("brokers=");
                }
            }
        }
    }

    private static String uriOf(RouteDefinition route) {
        return String.join(" ", sendUris(route.getOutputs()));
    }

    private static List<String> sendUris(List<ProcessorDefinition<?>> outputs) {
        List<String> uris = new ArrayList<>();
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition<?> send) {
                uris.add(send.getEndpointUri());
            }
            uris.addAll(sendUris(p.getOutputs()));
        }
        return uris;
    }
}
