package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Patterns run in linear time: the loader refuses the shapes that backtrack, and every match has a step budget. */
class MappingPatternsTest {

    private static final CanonicalSchemas SCHEMAS = new CanonicalSchemas();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What {@code mappings/datadog/alerts.yaml} shipped before: quadratic on a run of whitespace. */
    private static final Pattern OLD_FENCES = Pattern.compile("(?s)^(?:%%%\\s*)?(.*?)(?:\\s*%%%)?$");
    private static final int MEGABYTE = 1 << 20;

    private static Mapping incidents(String fieldLines) {
        return new MappingLoader(SCHEMAS).load("test", "incidents", "mappings/test/incidents.yaml",
                "entity: incidents\nfields:\n  id: \"$.id\"\n" + fieldLines + "\n");
    }

    private static Mapping datadogAlerts() {
        return new MappingCatalog(new MappingProperties("mappings", Duration.ZERO), SCHEMAS).find("datadog", "alerts");
    }

    private static String oldDescription(String body) {
        Matcher m = OLD_FENCES.matcher(body);
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain text", "%%%\nBody **bold**\n%%%", "%%%   body   %%%", "%%% body %%%\n",
            "  lead and trail  ", "ends with newline\n", "ends with crlf\r\n", "%%%only fence", "tail fence %%%",
            "a %% b % c %%%% d", "%%%%%%", "%%%\n%%%", "x\n\n%%%\r\n", "in the %%% middle %%% here", "%", "%%",
            "line\u2028", "   ", "\n", "%%% \n @here  \n\n %%%  ", "text %%%x", "%%%%"})
    void theShippedDatadogPatternStripsFencesAsTheOldOneDid(String body) {
        ObjectNode r = NODES.objectNode().put("id", "1").put("body", body);
        MappingResult result = datadogAlerts().map(r);
        assertThat(result.errors()).isEmpty();
        String expected = oldDescription(body);
        assertThat(result.record().path("description").textValue()).as("description of %s", body).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "%%%", "%", "\n", "a "})
    void theShippedDatadogPatternMapsAMegabyteBodyInLinearTime(String unit) {
        String body = unit.repeat(MEGABYTE / unit.length()) + "x";
        ObjectNode r = NODES.objectNode().put("id", "1").put("body", body);
        Mapping m = datadogAlerts();
        MappingResult result = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> m.map(r));
        assertThat(result.errors()).isEmpty();
        assertThat(result.record().path("description").textValue()).endsWith("x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            lazy quantifier      | (?s)^(.*?)x$       | lazy quantifier
            lazy plus            | a+?b               | lazy quantifier
            lazy option          | x??                | lazy quantifier
            lazy braces          | a{2,3}?            | lazy quantifier
            numbered backref     | (a)\\1             | backreference
            named backref        | (?<x>a)\\k<x>      | backreference
            nested quantifiers   | (a+)+b             | possessive
            nested in braces     | (?:\\s*x){2,}      | possessive
            """)
    void theLoaderRefusesPatternsItCannotBound(String what, String regex, String message) {
        assertThatThrownBy(() -> incidents("  title: { path: \"$.t\", pattern: '" + regex + "' }"))
                .as(what).isInstanceOf(MappingException.class)
                .hasMessageContaining("title").hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?:^|,)service:([^,]+)", "(a+)++b", "(?>a+)*b", "[(+*?]+x", "\\Q(a+)+?\\E",
            "\\\\1", "(?:[^\\n]*\\n?)*+", "a{2,3}", "(?:ab){2}"})
    void theLoaderAcceptsPatternsWhoseRepetitionCannotBacktrack(String regex) {
        incidents("  title: { path: \"$.t\", pattern: '" + regex + "' }");
    }

    @ParameterizedTest
    @ValueSource(strings = {"entries", "\n", " ", "2025-01-02 03:04:05 - "})
    void theShippedServiceNowJournalPatternReadsAMegabyteWithinItsBudget(String unit) {
        Mapping m = new MappingCatalog(new MappingProperties("mappings", Duration.ZERO), SCHEMAS)
                .find("servicenow", "incidents");
        String entry = "2025-01-02 03:04:05 - Ann Admin (Work notes)\n" + "checked the logs\n".repeat(300);
        String journal = unit.equals("entries") ? entry.repeat(MEGABYTE / entry.length()) : unit.repeat(MEGABYTE / unit.length());
        ObjectNode r = NODES.objectNode().put("sys_id", "1").put("comments", journal);
        MappingResult result = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> m.map(r));
        assertThat(result.errors()).isEmpty();
        if (unit.equals("entries")) {
            assertThat(result.record().path("comments")).hasSize(MEGABYTE / entry.length());
        }
    }

    @Test
    void aPatternThatNeedsMoreThanItsBudgetIsAFieldError() {
        Mapping m = incidents("  title: { path: \"$.t\", pattern: '\\s*\\s*\\s*x' }");
        ObjectNode r = NODES.objectNode().put("id", "1").put("t", " ".repeat(100_000));
        MappingResult result = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> m.map(r));
        assertThat(result.accepted()).isFalse();
        assertThat(result.errors()).extracting(FieldError::field).containsExactly("title");
        assertThat(result.errors().get(0).message()).contains("pattern");
        ObjectNode small = NODES.objectNode().put("id", "1").put("t", "   x");
        assertThat(m.map(small).record().path("title").asText()).isEqualTo("   x");
    }
}
