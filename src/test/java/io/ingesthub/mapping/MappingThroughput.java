package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A manual harness, not a test: maps the records of a bench body with the production catalog and prints the time
 * per record of mapping and of schema validation.
 *
 * <p>Run from the project root, after writing the test classpath to {@code target/cp.txt} once:
 * <pre>{@code
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ingesthub.mapping.MappingThroughput [body] [rounds]
 * }</pre>
 */
public final class MappingThroughput {

    public static void main(String[] args) throws Exception {
        Path body = Path.of(args.length > 0 ? args[0] : "bench/bodies/incidents.50.json");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        JsonNode doc = new ObjectMapper().readTree(body.toFile());
        List<JsonNode> records = new ArrayList<>();
        (doc.has("records") ? doc.get("records") : doc).forEach(records::add);
        CanonicalSchemas schemas = new CanonicalSchemas();
        MappingCatalog catalog = new MappingCatalog(new MappingProperties("mappings", Duration.ZERO), schemas);
        Mapping mapping = catalog.find("servicenow", "incidents");
        int perRound = 200_000 / records.size();
        for (int round = 0; round < rounds; round++) {
            long mapNanos = 0;
            long validateNanos = 0;
            int n = 0;
            for (int i = 0; i < perRound; i++) {
                for (JsonNode r : records) {
                    long t0 = System.nanoTime();
                    MappingResult m = mapping.map(r);
                    long t1 = System.nanoTime();
                    if (!m.accepted() || !schemas.validate(mapping.entity(), m.record()).isEmpty()) {
                        throw new IllegalStateException("record refused: " + m.errors());
                    }
                    validateNanos += System.nanoTime() - t1;
                    mapNanos += t1 - t0;
                    n++;
                }
            }
            System.out.printf("round %2d: map %6d ns/record, validate %6d ns/record, both %6d ns/record%n",
                    round, mapNanos / n, validateNanos / n, (mapNanos + validateNanos) / n);
        }
    }
}
