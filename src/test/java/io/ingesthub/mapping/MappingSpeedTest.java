package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the mapping step cheap on the request path: a 50-record request of real-shaped records maps and validates in
 * well under a millisecond per record (a warm run takes about 10-20 µs; the bound is loose for shared cores).
 */
class MappingSpeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mapsAFiftyRecordRequestInWellUnderAMillisecondPerRecord() throws IOException {
        MappingCatalog catalog = new MappingCatalog(new MappingProperties("mappings", Duration.ZERO), new CanonicalSchemas());
        List<JsonNode> request = new ArrayList<>();
        for (String sample : List.of("servicenow/incidents.single.json", "servicenow/incidents.unicode.json",
                "servicenow/incidents.empty-strings.json", "servicenow/incidents.minimal.json")) {
            JsonNode record = JSON.readTree(Path.of("src/test/resources/samples", sample).toFile());
            for (int i = 0; i < 50 / 4 + 1 && request.size() < 50; i++) {
                request.add(record);
            }
        }
        Mapping mapping = catalog.find("servicenow", "incidents");

        for (int warm = 0; warm < 500; warm++) {
            mapAll(catalog, mapping, request);
        }
        int requests = 200;
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            mapAll(catalog, mapping, request);
        }
        double microsPerRecord = (System.nanoTime() - start) / 1e3 / (requests * request.size());

        assertThat(microsPerRecord).as("µs per record").isLessThan(500);
    }

    private static void mapAll(MappingCatalog catalog, Mapping mapping, List<JsonNode> request) {
        for (JsonNode r : request) {
            if (!catalog.map(mapping, r).accepted()) {
                throw new AssertionError("a sample was rejected");
            }
        }
    }
}
