package io.ingesthub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The shipped source routes ({@code routes/sources/*.camel.yaml}) in a bare CamelContext with the shared steps
 * stubbed: each sender's documented deliveries, parsed to a Jackson {@link JsonNode} as the sources step hands them
 * over, reach {@code direct:ingest-records} with the right entity, or {@code direct:ingest-ignore}.
 */
class SourceRoutesTest {

    private static final Path SOURCES = Path.of("routes/sources");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STUBS = """
            - routeConfiguration:
                id: errors
            - route:
                id: stub-ingest-records
                from:
                  uri: direct:ingest-records
                  steps:
                    - to: mock:records
            - route:
                id: stub-ingest-ignore
                from:
                  uri: direct:ingest-ignore
                  steps:
                    - to: mock:ignored
            """;

    private static CamelContext camel;
    private static final Map<Path, List<RouteDefinition>> ROUTES = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        camel = new DefaultCamelContext();
        ModelCamelContext model = (ModelCamelContext) camel;
        add(ResourceHelper.fromString("stubs.camel.yaml", STUBS));
        for (Path file : sourceFiles()) {
            int before = model.getRouteDefinitions().size();
            add(ResourceHelper.resolveMandatoryResource(camel, "file:" + file));
            List<RouteDefinition> all = model.getRouteDefinitions();
            ROUTES.put(file, List.copyOf(all.subList(before, all.size())));
        }
        camel.start();
    }

    private static void add(Resource resource) throws Exception {
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource)) {
            camel.addRoutes(builder);
        }
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    static List<Path> sourceFiles() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @BeforeEach
    void reset() {
        MockEndpoint.resetMocks(camel);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "jira      | mappings/jira/examples/incidents.created.input.json           |           | incidents",
            "jira      | mappings/jira/examples/incidents.commented.input.json         |           | incidents",
            "jira      | mappings/jira/examples/incidents.unicode.input.json           |           | incidents",
            "jira      | mappings/jira/examples/changes.created.input.json             |           | changes",
            "jira      | mappings/jira/examples/problems.created.input.json            |           | problems",
            "jira      | mappings/jira/examples/requests.created.input.json            |           | requests",
            "jira      | src/test/resources/sources/jira.bug-created.json              |           | ignore",
            "pagerduty | mappings/pagerduty/examples/incidents.triggered.input.json    |           | incidents",
            "pagerduty | mappings/pagerduty/examples/incidents.acknowledged.input.json |           | incidents",
            "pagerduty | mappings/pagerduty/examples/incidents.minimal.input.json      |           | incidents",
            "pagerduty | mappings/pagerduty/examples/alerts.triggered.input.json       |           | incidents",
            "pagerduty | mappings/pagerduty/examples/conversations.annotated.input.json |          | conversations",
            "pagerduty | src/test/resources/sources/pagerduty.service-updated.json     |           | ignore",
            "zendesk   | mappings/zendesk/examples/incidents.single.input.json         |           | incidents",
            "zendesk   | mappings/zendesk/examples/requests.single.input.json          |           | requests",
            "zendesk   | mappings/zendesk/examples/incidents.empty-strings.input.json  |           | requests",
            "zendesk   | mappings/zendesk/examples/conversations.single.input.json     |           | conversations",
            "zendesk   | src/test/resources/sources/zendesk.user-payload.json          |           | ignore",
            "github    | mappings/github/examples/incidents.opened.input.json          | issues    | incidents",
            "github    | mappings/github/examples/incidents.closed.input.json          | issues    | incidents",
            "github    | src/test/resources/sources/github.ping.json                   | ping      | ignore",
            "github    | mappings/github/examples/incidents.opened.input.json          | issue_comment | ignore",
            "datadog   | mappings/datadog/examples/alerts.triggered.input.json         |           | alerts",
            "datadog   | mappings/datadog/examples/alerts.recovered.input.json         |           | alerts",
            "datadog   | mappings/datadog/examples/alerts.minimal.input.json           |           | alerts",
            "datadog   | src/test/resources/sources/datadog.test-payload.json          |           | ignore"})
    void routesEachDocumentedDeliveryToItsEntityOrIgnoresIt(String source, String delivery, String githubEvent,
                                                            String expected) throws Exception {
        JsonNode body = JSON.readTree(Path.of(delivery).toFile());
        MockEndpoint records = camel.getEndpoint("mock:records", MockEndpoint.class);
        MockEndpoint ignored = camel.getEndpoint("mock:ignored", MockEndpoint.class);
        ProducerTemplate producer = camel.createProducerTemplate();

        producer.send("direct:source-" + source, e -> {
            e.getIn().setBody(body);
            if (githubEvent != null) {
                e.getIn().setHeader("X-GitHub-Event", githubEvent);
            }
        });

        if ("ignore".equals(expected)) {
            assertThat(ignored.getReceivedCounter()).as("ignored").isEqualTo(1);
            assertThat(records.getReceivedCounter()).as("taken").isZero();
        } else {
            assertThat(records.getReceivedCounter()).as("taken").isEqualTo(1);
            assertThat(ignored.getReceivedCounter()).as("ignored").isZero();
            Exchange taken = records.getReceivedExchanges().get(0);
            assertThat(taken.getVariable("entity")).isEqualTo(expected);
            assertThat(taken.getIn().getBody()).as("the body travels on unchanged").isSameAs(body);
        }
    }

    @Test
    void everySourceRouteStartsAtItsDirectEndpointAndEndsInTheSharedSteps() throws IOException {
        assertThat(sourceFiles()).isNotEmpty();
        for (Path file : sourceFiles()) {
            String stem = file.getFileName().toString().replace(".camel.yaml", "");
            List<RouteDefinition> routes = ROUTES.get(file);
            assertThat(routes).as(file + " holds one route").hasSize(1);
            RouteDefinition route = routes.get(0);
            assertThat(route.getRouteId()).as("route id of " + file).isEqualTo("source-" + stem);
            assertThat(route.getInput().getEndpointUri()).as("start of " + file).isEqualTo("direct:source-" + stem);
            List<String> ends = new ArrayList<>();
            collectEnds(route.getOutputs(), file.toString(), ends);
            assertThat(ends).as(file + ": every branch ends in direct:ingest-records or direct:ingest-ignore")
                    .isNotEmpty()
                    .allMatch(uri -> uri.equals("direct:ingest-records") || uri.equals("direct:ingest-ignore"));
            assertThat(ends).as(file + " hands some deliveries to the shared steps").contains("direct:ingest-records");
        }
    }

    /** The last step of every branch, which must be a {@code to}; any other last step fails with its place. */
    private static void collectEnds(List<ProcessorDefinition<?>> steps, String where, List<String> ends) {
        assertThat(steps).as(where + ": a branch without steps").isNotEmpty();
        ProcessorDefinition<?> last = steps.get(steps.size() - 1);
        if (last instanceof ChoiceDefinition choice) {
            assertThat(choice.getOtherwise()).as(where + ": a choice needs an otherwise (ignore or take)").isNotNull();
            for (WhenDefinition when : choice.getWhenClauses()) {
                collectEnds(when.getOutputs(), where + " when " + when.getExpression(), ends);
            }
            collectEnds(choice.getOtherwise().getOutputs(), where + " otherwise", ends);
        } else if (last instanceof ToDefinition to) {
            ends.add(to.getUri());
        } else {
            ends.add(where + " ends in " + last.getShortName());
        }
    }

    @Test
    void everySourceRouteValidatesAgainstTheYamlDslSchemaOfVisualEditors() throws IOException {
        JsonSchema schema;
        try (InputStream in = SourceRoutesTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json from camel-yaml-dsl").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(JSON.readTree(in));
        }
        for (Path file : sourceFiles()) {
            Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            Set<ValidationMessage> errors = schema.validate(JSON.valueToTree(yaml));
            assertThat(errors).as(file.toString()).isEmpty();
        }
    }
}
