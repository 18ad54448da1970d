package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks the conventions of the shipped mapping sets (loading, {@code id} first, example pairs), so reviewers need
 * not remember them; route files are checked by {@code RouteConventionsTest}.
 */
class MappingConventionTest {

    private static final Path MAPPINGS = Path.of("mappings");

    @Test
    void everyMappingFileLoadsWithTheProductionLoader() {
        MappingCatalog catalog = new MappingCatalog(new MappingProperties(MAPPINGS.toString(), Duration.ZERO),
                new CanonicalSchemas());
        assertThat(catalog.errors()).isEmpty();
        assertThat(catalog.sets()).containsKeys("canonical", "servicenow", "jira", "pagerduty", "datadog", "zendesk");
        assertThat(catalog.sets().get("canonical")).as("the canonical set maps every entity")
                .containsOnlyKeys(CanonicalSchemas.ENTITIES);
    }

    @Test
    void everyMappingFileMapsTheIdAsItsFirstField() throws IOException {
        for (Path file : mappingFiles()) {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            Map<?, ?> fields = (Map<?, ?>) ((Map<?, ?>) doc).get("fields");
            assertThat(fields.keySet().iterator().next()).as("%s: the first field", file).isEqualTo("id");
        }
    }

    @Test
    void everyMappingFileHasAtLeastOneExamplePair() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path file : mappingFiles()) {
            String entity = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            Path examples = file.resolveSibling("examples");
            boolean any = false;
            if (Files.isDirectory(examples)) {
                try (Stream<Path> s = Files.list(examples)) {
                    any = s.anyMatch(p -> p.getFileName().toString().startsWith(entity + ".")
                            && p.getFileName().toString().endsWith(".input.json"));
                }
            }
            if (!any) {
                missing.add(file + " has no " + file.resolveSibling("examples/" + entity + ".<case>.input.json"));
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyExampleIsAPairForAMappedEntity() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> all = Files.walk(MAPPINGS)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().equals("examples"))::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".kafka.json")) {
                    continue; // the Kafka contract of an example, checked by IngestRouteTest
                }
                if (!name.matches("[a-z-]+\\.[a-z0-9-]+\\.(input|expected)\\.json")) {
                    problems.add(p + ": not named <entity>.<case>.input.json or .expected.json");
                    continue;
                }
                String partner = name.endsWith(".input.json") ? name.replace(".input.json", ".expected.json")
                        : name.replace(".expected.json", ".input.json");
                if (!Files.exists(p.resolveSibling(partner))) {
                    problems.add(p + ": no " + partner);
                }
                String entity = name.substring(0, name.indexOf('.'));
                Path set = p.getParent().getParent();
                if (!Files.exists(set.resolve(entity + ".yaml"))) {
                    problems.add(p + ": " + set + " has no " + entity + ".yaml");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<Path> mappingFiles() throws IOException {
        try (Stream<Path> all = Files.walk(MAPPINGS, 2)) {
            List<Path> files = all.filter(p -> p.getNameCount() == 3)
                    .filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
            assertThat(files).isNotEmpty();
            return files;
        }
    }
}
