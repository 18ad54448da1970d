package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading mapping sets from a folder and keeping them current while files change. */
class MappingCatalogTest {

    private static final CanonicalSchemas SCHEMAS = new CanonicalSchemas();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private MappingCatalog catalog;

    private MappingCatalog open(Duration interval) {
        catalog = new MappingCatalog(new MappingProperties(dir.toString(), interval), SCHEMAS);
        return catalog;
    }

    private void write(String relative, String yaml) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        Files.writeString(file, yaml);
        if (before != null && !Files.getLastModifiedTime(file).toInstant().isAfter(before.toInstant())) {
            Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(1)));
        }
    }

    private static String incidents(String titlePath) {
        return "entity: incidents\nfields:\n  id: \"$.id\"\n  title: \"" + titlePath + "\"\n";
    }

    private String title(String set) throws IOException {
        return catalog.find(set, "incidents").map(JSON.readTree("{\"id\":\"1\",\"a\":\"A\",\"b\":\"B\"}"))
                .record().path("title").asText();
    }

    @Test
    void findsEveryEntityOfEverySetAndIgnoresExamples() throws IOException {
        write("one/incidents.yaml", incidents("$.a"));
        write("one/alerts.yml", "entity: alerts\nfields:\n  id: \"$.id\"\n");
        write("two/incidents.yaml", incidents("$.b"));
        write("one/examples/incidents.case.input.json", "{}");

        open(Duration.ZERO);

        assertThat(catalog.sets()).containsOnlyKeys("one", "two");
        assertThat(catalog.sets().get("one")).containsOnlyKeys("incidents", "alerts");
        assertThat(title("one")).isEqualTo("A");
        assertThat(title("two")).isEqualTo("B");
        assertThat(catalog.find("one", "changes")).isNull();
        assertThat(catalog.find("three", "incidents")).isNull();
        assertThat(catalog.find(null, "incidents")).isNull();
    }

    @Test
    void refusesToStartWithABrokenFileAndSaysWhichAndWhy() throws IOException {
        write("one/incidents.yaml", "entity: incidents\nfields:\n  id: \"$.id\"\n  title: { path: \"$.t\", typo: 1 }\n");

        assertThatThrownBy(() -> open(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one/incidents.yaml").hasMessageContaining("field 'title'")
                .hasMessageContaining("unknown key 'typo'");
    }

    @Test
    void refusesToStartWithoutTheFolder() {
        assertThatThrownBy(() -> new MappingCatalog(new MappingProperties(dir.resolve("nope").toString(), Duration.ZERO),
                SCHEMAS)).hasMessageContaining("hub.mappings.dir").hasMessageContaining("nope");
    }

    @Test
    void reloadServesAChangedFileAndKeepsThePreviousVersionWhenTheChangeIsBroken() throws IOException {
        write("one/incidents.yaml", incidents("$.a"));
        open(Duration.ZERO);

        write("one/incidents.yaml", incidents("$.b"));
        assertThat(catalog.reload()).isEmpty();
        assertThat(title("one")).isEqualTo("B");

        write("one/incidents.yaml", incidents("$.b[?(@ ==]"));
        assertThat(catalog.reload()).singleElement().asString()
                .contains("one/incidents.yaml").contains("field 'title'").contains("bad JSONPath");
        assertThat(catalog.errors()).hasSize(1);
        assertThat(title("one")).as("the previous version keeps serving").isEqualTo("B");

        write("one/incidents.yaml", incidents("$.a"));
        assertThat(catalog.reload()).isEmpty();
        assertThat(catalog.errors()).isEmpty();
        assertThat(title("one")).isEqualTo("A");
    }

    @Test
    void reloadAddsNewFilesAndForgetsDeletedOnes() throws IOException {
        write("one/incidents.yaml", incidents("$.a"));
        open(Duration.ZERO);

        write("two/incidents.yaml", incidents("$.b"));
        Files.delete(dir.resolve("one/incidents.yaml"));
        assertThat(catalog.reload()).isEmpty();

        assertThat(catalog.find("one", "incidents")).isNull();
        assertThat(title("two")).isEqualTo("B");
    }

    @Test
    void aNewFileThatIsBrokenIsNotServedAtAll() throws IOException {
        write("one/incidents.yaml", incidents("$.a"));
        open(Duration.ZERO);

        write("one/alerts.yaml", "entity: alerts\nfields:\n  title: \"$.t\"\n");
        assertThat(catalog.reload()).singleElement().asString().contains("one/alerts.yaml").contains("'id'");
        assertThat(catalog.find("one", "alerts")).isNull();
        assertThat(catalog.find("one", "incidents")).isNotNull();
    }

    @Test
    void aPollPicksUpAChangedFile() throws IOException {
        write("one/incidents.yaml", incidents("$.a"));
        open(Duration.ofMillis(50));

        write("one/incidents.yaml", incidents("$.b"));

        catalog.poll();

        assertThat(title("one")).isEqualTo("B");
    }

    @Test
    void mapsAndValidatesAgainstTheSchemaInOneCall() throws IOException {
        write("one/requestitems.yaml", "entity: requestitems\nfields:\n  id: \"$.id\"\n  quantity: { path: \"$.q\", type: integer }\n");
        open(Duration.ZERO);
        Mapping m = catalog.find("one", "requestitems");

        assertThat(catalog.map(m, JSON.readTree("{\"id\":\"1\",\"q\":\"2\"}")).accepted()).isTrue();
        MappingResult negative = catalog.map(m, JSON.readTree("{\"id\":\"1\",\"q\":-1}"));
        assertThat(negative.errors()).containsExactly(new FieldError("quantity", "schema: must have a minimum value of 0"));
        assertThat(negative.id()).isEqualTo("1");
    }
}
