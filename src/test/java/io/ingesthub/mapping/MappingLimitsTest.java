package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Per-record mapping work stays bounded whatever the input: hostile values are field errors, not CPU or a 500. */
class MappingLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CanonicalSchemas SCHEMAS = new CanonicalSchemas();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static Mapping incidents(String fieldLines) {
        return new MappingLoader(SCHEMAS).load("test", "incidents", "mappings/test/incidents.yaml",
                "entity: incidents\nfields:\n  id: \"$.id\"\n" + fieldLines + "\n");
    }

    private static ObjectNode record(String field, JsonNode value) {
        ObjectNode r = NODES.objectNode().put("id", "1");
        r.set(field, value);
        return r;
    }

    private static void assertRejectedNaming(Mapping m, JsonNode record, String field) {
        MappingResult r = m.map(record);
        assertThat(r.accepted()).as("rejected").isFalse();
        assertThat(r.errors()).extracting(FieldError::field).containsExactly(field);
    }


    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1e500000000", "1e-500000000", "1E+2147483647", "NaN", "Infinity"})
    void hugeOrNonFiniteNumbersInTextAreUnconvertible(String text) {
        Mapping count = incidents("custom:\n  count: { path: \"$.n\", type: integer }");
        Mapping ratio = incidents("custom:\n  ratio: { path: \"$.n\", type: number }");
        Mapping at = incidents("custom:\n  at: { path: \"$.n\", type: datetime, format: epoch-millis }");
        assertTimeoutSeconds(() -> {
            assertRejectedNaming(count, record("n", NODES.textNode(text)), "custom.count");
            assertRejectedNaming(ratio, record("n", NODES.textNode(text)), "custom.ratio");
            assertRejectedNaming(at, record("n", NODES.textNode(text)), "custom.at");
        });
    }

    @Test
    void infiniteAndNanDoublesAreUnconvertible() {
        for (double d : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            for (String type : new String[] {"integer", "number"}) {
                Mapping m = incidents("custom:\n  x: { path: \"$.n\", type: " + type + " }");
                assertRejectedNaming(m, record("n", DoubleNode.valueOf(d)), "custom.x");
            }
            Mapping at = incidents("custom:\n  x: { path: \"$.n\", type: datetime, format: epoch-seconds }");
            assertRejectedNaming(at, record("n", DoubleNode.valueOf(d)), "custom.x");
        }
    }

    @Test
    void aParsed1e400IsRejectedNamingTheField() throws Exception {
        Mapping m = incidents("custom:\n  x: { path: \"$.n\", type: number }");
        assertRejectedNaming(m, JSON.readTree("{\"id\":\"1\",\"n\":1e400}"), "custom.x");
    }

    @Test
    void aNumberOfThousandsOfDigitsIsUnconvertible() throws Exception {
        String digits = "9".repeat(5000);
        Mapping m = incidents("custom:\n  x: { path: \"$.n\", type: integer }");
        assertTimeoutSeconds(() -> {
            assertRejectedNaming(m, record("n", NODES.textNode(digits)), "custom.x");
            assertRejectedNaming(m, record("n", NODES.numberNode(new java.math.BigInteger(digits))), "custom.x");
        });
    }

    @Test
    void numbersWithinTheRangeStillConvert() throws Exception {
        Mapping m = incidents("custom:\n  i: { path: \"$.i\", type: integer }\n  n: { path: \"$.n\", type: number }");
        MappingResult r = m.map(JSON.readTree("{\"id\":\"1\",\"i\":\"12345678901234567890123456789\",\"n\":\"1.5e300\"}"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.record().path("custom").path("i").bigIntegerValue())
                .isEqualTo(new java.math.BigInteger("12345678901234567890123456789"));
        assertThat(r.record().path("custom").path("n").doubleValue()).isEqualTo(1.5e300);
    }

    @Test
    void theDemoServiceNowSetRejectsAHugeReassignmentCount() {
        MappingCatalog catalog = new MappingCatalog(new MappingProperties("mappings", Duration.ZERO), SCHEMAS);
        Mapping m = catalog.find("servicenow", "incidents");
        ObjectNode r = NODES.objectNode().put("sys_id", "abc").put("reassignment_count", "1e500000000");
        assertTimeoutSeconds(() -> assertRejectedNaming(m, r, "custom.reassignment_count"));
    }

    private static JsonNode nested(int depth) {
        JsonNode v = NODES.textNode("bottom");
        for (int i = 0; i < depth; i++) {
            v = i % 2 == 0 ? NODES.objectNode().set("a", v) : NODES.arrayNode().add(v);
        }
        return v;
    }

    @Test
    void anObjectValueNestedBeyondTheCapIsRejectedNamingTheField() throws Exception {
        Mapping m = incidents("custom:\n  payload: { path: \"$.p\", type: object }");
        assertRejectedNaming(m, record("p", nested(990)), "custom.payload");
        assertRejectedNaming(m, record("p", nested(MappingLimits.MAX_VALUE_DEPTH + 1)), "custom.payload");
        MappingResult ok = m.map(record("p", nested(MappingLimits.MAX_VALUE_DEPTH)));
        assertThat(ok.errors()).isEmpty();
        assertThat(JSON.writeValueAsString(ok.record())).contains("bottom");
    }

    @Test
    void aCanonicalObjectFieldNestedBeyondTheCapIsRejectedNamingTheField() {
        Mapping m = incidents("  custom: { path: \"$.p\", type: object }");
        assertRejectedNaming(m, record("p", nested(990)), "custom");
    }

    @Test
    void parsedJsonNestedBeyondTheCapIsRejectedNamingTheField() throws Exception {
        Mapping m = incidents("custom:\n  payload: { path: \"$.p\", parse: json, type: object }");
        String deep = "[".repeat(900) + "]".repeat(900);
        assertRejectedNaming(m, record("p", NODES.textNode(deep)), "custom.payload");
    }

    @Test
    void listsLongerThanTheCapAreRejectedNamingTheField() {
        int over = MappingLimits.MAX_ARRAY_ELEMENTS + 1;
        var many = NODES.arrayNode();
        var objects = NODES.arrayNode();
        StringBuilder csv = new StringBuilder();
        StringBuilder matches = new StringBuilder();
        for (int i = 0; i < over; i++) {
            many.add("t" + i);
            objects.add(NODES.objectNode().put("body", "c" + i));
            csv.append("t").append(i).append(',');
            matches.append("INC").append(i).append(' ');
        }
        assertRejectedNaming(incidents("  tags: { path: \"$.t[*]\", type: \"string[]\" }"), record("t", many), "tags");
        assertRejectedNaming(incidents("  tags: { path: \"$.t\", split: \",\", type: \"string[]\" }"),
                record("t", NODES.textNode(csv.toString())), "tags");
        assertRejectedNaming(incidents("  tags: { path: \"$.t\", pattern: 'INC\\d+', type: \"string[]\" }"),
                record("t", NODES.textNode(matches.toString())), "tags");
        assertRejectedNaming(incidents("  comments: { path: \"$.c\", each: { text: \"$.body\" } }"),
                record("c", objects), "comments");
        var atCap = NODES.arrayNode();
        for (int i = 0; i < MappingLimits.MAX_ARRAY_ELEMENTS; i++) {
            atCap.add("t" + i);
        }
        MappingResult ok = incidents("  tags: { path: \"$.t\", type: \"string[]\" }").map(record("t", atCap));
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.record().path("tags")).hasSize(MappingLimits.MAX_ARRAY_ELEMENTS);
    }

    @Test
    void aFilterOverHostileNumbersSkipsThoseElementsInsteadOfFailingTheRecord() throws Exception {
        Mapping m = incidents("  title: \"$.items[?(@.kind == 'main' && @.rank > 1)].name\"");
        JsonNode r = JSON.readTree("{\"id\":\"1\",\"items\":[{\"kind\":1e400,\"rank\":1e400,\"name\":\"a\"},"
                + "{\"kind\":\"main\",\"rank\":\"1e500000000\",\"name\":\"b\"},{\"kind\":\"main\",\"rank\":2,\"name\":\"c\"}]}");
        MappingResult result = assertTimeoutPreemptively5(() -> m.map(r));
        assertThat(result.errors()).isEmpty();
        assertThat(result.record().path("title").asText()).isEqualTo("c");
    }

    private static <T> T assertTimeoutPreemptively5(org.junit.jupiter.api.function.ThrowingSupplier<T> body) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), body);
    }

    static void assertTimeoutSeconds(org.junit.jupiter.api.function.Executable body) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), body);
    }
}
