package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Maps every example {@code mappings/<set>/examples/<entity>.<case>.input.json} with the production loader and
 * compares the result as a JSON tree with its {@code .expected.json} (format in {@code docs/mappings.md}).
 */
class MappingGoldenTest {

    static final Path MAPPINGS = Path.of("mappings");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private static MappingCatalog catalog;

    @BeforeAll
    static void load() {
        catalog = new MappingCatalog(new MappingProperties(MAPPINGS.toString(), Duration.ZERO), new CanonicalSchemas());
    }

    static Stream<Arguments> examples() throws IOException {
        try (Stream<Path> files = Files.walk(MAPPINGS, 3)) {
            List<Path> inputs = files
                    .filter(p -> p.getNameCount() == 4 && p.getParent().getFileName().toString().equals("examples"))
                    .filter(p -> p.getFileName().toString().endsWith(".input.json"))
                    .sorted()
                    .toList();
            return inputs.stream().map(p -> Arguments.of(
                    p.getParent().getParent().getFileName() + "/" + p.getFileName().toString().replace(".input.json", ""), p));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void mapsExampleToExpectedCanonicalRecord(String name, Path input) throws IOException {
        String set = input.getParent().getParent().getFileName().toString();
        String entity = input.getFileName().toString().substring(0, input.getFileName().toString().indexOf('.'));
        Mapping mapping = catalog.find(set, entity);
        assertThat(mapping).as("mappings/%s/%s.yaml", set, entity).isNotNull();

        JsonNode in = JSON.readTree(input.toFile());
        JsonNode actual;
        if (in.isArray()) {
            ArrayNode all = JSON.createArrayNode();
            in.forEach(r -> all.add(outcome(mapping, r)));
            actual = all;
        } else {
            actual = outcome(mapping, in);
        }
        // Serialized and read back: what a consumer reads, with number node types as any JSON reader makes them.
        actual = JSON.readTree(JSON.writeValueAsBytes(actual));

        Path expectedFile = input.resolveSibling(input.getFileName().toString().replace(".input.json", ".expected.json"));
        if (!Files.exists(expectedFile) && Boolean.getBoolean("golden.write-missing")) {
            JSON.writeValue(expectedFile.toFile(), actual);
        }
        assertThat(expectedFile).as("every example input has an expected output").exists();
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        assertThat(actual).as("%s mapped with mappings/%s/%s.yaml\nactual:\n%s", input, set, entity,
                JSON.writeValueAsString(actual)).isEqualTo(expected);
    }

    /**
     * What one record became, as an expected file writes it: the canonical record without the hub-set fields
     * (tenant, data_source, entity are added after mapping), or {@code {"errors":[{"field","message"}]}}.
     */
    private static JsonNode outcome(Mapping mapping, JsonNode record) {
        MappingResult r = catalog.map(mapping, record);
        if (r.accepted()) {
            return r.record();
        }
        ObjectNode rejected = JSON.createObjectNode();
        ArrayNode errors = rejected.putArray("errors");
        r.errors().forEach(e -> errors.addObject().put("field", e.field()).put("message", e.message()));
        return rejected;
    }
}
