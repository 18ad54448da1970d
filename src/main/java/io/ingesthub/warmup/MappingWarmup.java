package io.ingesthub.warmup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.mapping.Mapping;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.mapping.MappingProperties;
import io.ingesthub.mapping.MappingResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs every mapping's example inputs through the mapping engine and the schema validator at start, before the hub
 * reports ready, so that the first requests find those paths compiled by the JIT instead of interpreted.
 */
@Component
public class MappingWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(MappingWarmup.class);

    private final MappingCatalog catalog;
    private final Path dir;
    private final ObjectMapper json;
    private final Duration budget;
    private final boolean enabled;

    public MappingWarmup(MappingCatalog catalog, MappingProperties properties, ObjectMapper json,
                         @Value("${hub.warmup.enabled:true}") boolean enabled,
                         @Value("${hub.warmup.max-time:1s}") Duration budget) {
        this.catalog = catalog;
        this.dir = Path.of(properties.dir());
        this.json = json;
        this.enabled = enabled;
        this.budget = budget;
    }

    /** What a warm-up did: the examples it found and how many records it mapped. */
    public record Result(int examples, long mapped, Duration took) {}

    // ApplicationStartedEvent comes before ApplicationReadyEvent, which is what turns readiness to ACCEPTING_TRAFFIC.
    @EventListener(ApplicationStartedEvent.class)
    public void onStarted() {
        if (enabled) {
            Result r = run(budget);
            LOG.info("Warmed the mapping engine with {} example files: {} records mapped in {} ms", r.examples(),
                    r.mapped(), r.took().toMillis());
        }
    }

    /** Maps the examples round after round until {@code budget} is spent (at least one round). */
    public Result run(Duration budget) {
        List<Example> examples = examples();
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long mapped = 0;
        do {
            for (Example e : examples) {
                for (JsonNode record : e.records()) {
                    MappingResult r = catalog.map(e.mapping(), record);
                    if (r.accepted()) {
                        mapped++;
                    }
                }
            }
        } while (!examples.isEmpty() && System.nanoTime() < deadline);
        return new Result(examples.size(), mapped, Duration.ofNanos(System.nanoTime() - start));
    }

    private record Example(Mapping mapping, List<JsonNode> records) {}

    private List<Example> examples() {
        List<Example> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, Mapping>> set : catalog.sets().entrySet()) {
            for (Map.Entry<String, Mapping> entity : set.getValue().entrySet()) {
                Path examples = dir.resolve(set.getKey()).resolve("examples");
                if (!Files.isDirectory(examples)) {
                    continue;
                }
                try (DirectoryStream<Path> inputs = Files.newDirectoryStream(examples, entity.getKey() + ".*input.json")) {
                    for (Path input : inputs) {
                        List<JsonNode> records = new ArrayList<>();
                        JsonNode body = json.readTree(input.toFile());
                        if (body.isArray()) {
                            body.forEach(records::add);
                        } else {
                            records.add(body);
                        }
                        found.add(new Example(entity.getValue(), records));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Skipped the warm-up examples of {}/{}: {}", set.getKey(), entity.getKey(), e.getMessage());
                }
            }
        }
        return found;
    }
}
