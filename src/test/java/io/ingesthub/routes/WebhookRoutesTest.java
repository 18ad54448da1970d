package io.ingesthub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.Endpoint;
import io.ingesthub.IngestHubApplication;
import io.ingesthub.web.ProblemException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Route tests of the webhook routes: each one, entered at a direct endpoint instead of HTTP, names its entity and
 * hands the request to the pipeline, and a refusal from the pipeline comes back as a problem answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(classes = IngestHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"camel.component.kafka.brokers=127.0.0.1:1", "hub.tokens.secret=route-tests-only-0123456789abcdef0123456789"})
class WebhookRoutesTest {

    /** Route id and the entity it must name, from the endpoint table. */
    private static final List<String[]> ROUTES = Endpoint.table().stream()
            .map(e -> new String[] {e.routeId(), e.entity(), e.credentials()}).toList();

    @Autowired
    CamelContext camel;

    ProducerTemplate producer;

    @BeforeAll
    void advise() throws Exception {
        for (String[] route : ROUTES) {
            AdviceWith.adviceWith(camel, route[0], a -> {
                a.replaceFromWith("direct:test-" + route[0]);
                a.weaveByToUri("direct:ingest").replace().to("mock:pipeline");
            });
        }
        producer = camel.createProducerTemplate();
    }

    @Test
    void everyWebhookRouteNamesItsEntityAndHandsOffToThePipeline() throws Exception {
        MockEndpoint pipeline = camel.getEndpoint("mock:pipeline", MockEndpoint.class);
        for (String[] route : ROUTES) {
            pipeline.reset();
            pipeline.expectedMessageCount(1);
            pipeline.expectedVariableReceived("entity", route[1]);
            pipeline.expectedVariableReceived("credentials", route[2]);

            producer.sendBody("direct:test-" + route[0], "{\"id\":\"1\"}");

            pipeline.assertIsSatisfied();
        }
    }

    @Test
    void aRefusalFromThePipelineBecomesAProblemAnswer() {
        MockEndpoint pipeline = camel.getEndpoint("mock:pipeline", MockEndpoint.class);
        pipeline.reset();
        pipeline.whenAnyExchangeReceived(e -> {
            throw ProblemException.unsupportedMediaType("Content-Type 'text/plain' is not JSON; send application/json.");
        });
        for (String[] route : ROUTES) {
            Exchange answer = producer.send("direct:test-" + route[0], e -> e.getIn().setBody("x"));

            assertThat(answer.getException()).isNull();
            assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(415);
            assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
            assertThat(answer.getMessage().getBody(String.class)).contains("\"status\":415").contains("not JSON");
        }
    }
}
