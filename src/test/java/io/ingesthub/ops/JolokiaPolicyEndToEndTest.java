package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingesthub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The Jolokia access policy through {@code /actuator/jolokia} of the local default: reads and route start/stop
 * pass; Camel's send and request operations, stopping the context, writes and the JDK's diagnostic operations do not.
 */
class JolokiaPolicyEndToEndTest extends HubTestSupport {

    private static final String CONTEXT = "org.apache.camel:context=ingest-hub,type=context,name=\"ingest-hub\"";
    private static final String ROUTE = "org.apache.camel:context=ingest-hub,type=routes,name=\"incidents\"";

    @Test
    void allowsReadingAndStartingARoute() {
        JsonNode read = jolokia("{\"type\":\"read\",\"mbean\":\"" + esc(ROUTE) + "\",\"attribute\":\"State\"}");
        assertThat(read.path("status").asInt()).as(read.toString()).isEqualTo(200);
        assertThat(read.path("value").asText()).isEqualTo("Started");

        JsonNode start = jolokia("{\"type\":\"exec\",\"mbean\":\"" + esc(ROUTE) + "\",\"operation\":\"start()\"}");
        assertThat(start.path("status").asInt()).as(start.toString()).isEqualTo(200);
    }

    @Test
    void refusesCamelSendAndRequestOperationsAndStoppingTheContext() {
        for (String operation : new String[] {
                "\"operation\":\"sendBody(java.lang.String,java.lang.Object)\",\"arguments\":[\"log:x\",\"x\"]",
                "\"operation\":\"requestBody(java.lang.String,java.lang.Object)\",\"arguments\":[\"log:x\",\"x\"]",
                "\"operation\":\"stop()\""}) {
            JsonNode answer = jolokia("{\"type\":\"exec\",\"mbean\":\"" + esc(CONTEXT) + "\"," + operation + "}");
            assertThat(answer.path("status").asInt()).as(operation + " " + answer).isEqualTo(403);
        }
        JsonNode context = jolokia("{\"type\":\"read\",\"mbean\":\"" + esc(CONTEXT) + "\",\"attribute\":\"State\"}");
        assertThat(context.path("value").asText()).isEqualTo("Started");
    }

    @Test
    void refusesTheJdkDiagnosticOperationsAndWrites() {
        String[] requests = {
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                        + "\"operation\":\"dumpHeap(java.lang.String,boolean)\",\"arguments\":[\"/tmp/hub-heap.hprof\",true]}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                        + "\"operation\":\"vmFlags([Ljava.lang.String;)\",\"arguments\":[[]]}",
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}",
                "{\"type\":\"write\",\"mbean\":\"" + esc(ROUTE) + "\",\"attribute\":\"Tracing\",\"value\":true}"};
        for (String request : requests) {
            JsonNode answer = jolokia(request);
            assertThat(answer.path("status").asInt()).as(request + " " + answer).isEqualTo(403);
        }
    }

    private JsonNode jolokia(String request) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build());
        return json(response);
    }

    private static String esc(String s) {
        return s.replace("\"", "\\\"");
    }

}
