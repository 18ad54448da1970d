package io.ingesthub.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.mapping.CanonicalSchemas;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.mapping.MappingProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up maps the examples of every mapping set and skips what it cannot read. */
class MappingWarmupTest {

    private static MappingWarmup warmup(Path dir) {
        MappingProperties properties = new MappingProperties(dir.toString(), Duration.ZERO);
        return new MappingWarmup(new MappingCatalog(properties, new CanonicalSchemas()), properties, new ObjectMapper(),
                true, Duration.ZERO);
    }

    @Test
    void mapsTheExampleInputsOfEveryMappingSet() {
        MappingWarmup.Result r = warmup(Path.of("mappings")).run(Duration.ZERO);

        assertThat(r.examples()).isGreaterThan(10);
        assertThat(r.mapped()).isGreaterThanOrEqualTo(r.examples());
    }

    @Test
    void skipsAnExampleThatIsNotJson(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("acme/examples"));
        Files.copy(Path.of("mappings/servicenow/incidents.yaml"), dir.resolve("acme/incidents.yaml"));
        Files.writeString(dir.resolve("acme/examples/incidents.broken.input.json"), "{not json");

        MappingWarmup.Result r = warmup(dir).run(Duration.ZERO);

        assertThat(r.examples()).isZero();
        assertThat(r.mapped()).isZero();
    }
}
