package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The strict validation of mapping files: every refusal names the file, the field and the problem. */
class MappingLoaderTest {

    static final CanonicalSchemas SCHEMAS = new CanonicalSchemas();
    static final String FILE = "mappings/test/incidents.yaml";

    static MappingException refusal(String yaml) {
        return refusal("incidents", yaml);
    }

    static MappingException refusal(String entity, String yaml) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> new MappingLoader(SCHEMAS).load("test", entity, FILE, yaml));
        assertThat(t).as("the loader refuses:\n" + yaml).isInstanceOf(MappingException.class);
        MappingException e = (MappingException) t;
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.getMessage()).startsWith(FILE);
        return e;
    }

    static String incidents(String fieldLines) {
        return "entity: incidents\nfields:\n  id: \"$.id\"\n" + fieldLines + "\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown rule key        | title: { path: "$.t", trnasform: trim }                 | title            | unknown key 'trnasform'
            bad JSONPath            | title: "$.a[?(@.b ==]"                                  | title            | bad JSONPath '$.a[?(@.b ==]'
            path not JSONPath       | title: "short_description"                              | title            | a JSONPath starts with '$'
            path not a string       | title: { path: 3 }                                      | title            | 'path' must be a JSONPath string
            bad date format         | created_at: { path: "$.c", type: datetime, format: "yyyy-MM-dd HH:mm:ss bb" } | created_at | bad date format 'yyyy-MM-dd HH:mm:ss bb'
            unknown zone            | created_at: { path: "$.c", type: datetime, zone: Mars/Olympus }  | created_at  | unknown zone 'Mars/Olympus'
            unknown type            | title: { path: "$.t", type: text }                      | title            | unknown type 'text'
            type against schema     | created_at: "$.c"                                       | created_at       | use type: datetime
            array field without list| tags: "$.tags"                                          | tags             | use type: string[]
            format without datetime | title: { path: "$.t", format: "yyyy" }                  | title            | 'format' and 'zone' need 'type: datetime'
            each with type          | comments: { path: "$.c", type: object, each: { text: "$.t" } } | comments  | 'each' makes an array of objects; drop 'type'
            each without path       | comments: { constant: x, each: { text: "$.t" } }        | comments         | 'each' needs a 'path'
            each unknown subfield   | comments: { path: "$.c", each: { body: "$.b" } }        | comments.body    | not a field of comments
            each on a text field    | title: { path: "$.t", each: { x: "$.x" } }              | title            | the canonical schema makes this field a string
            objects without each    | comments: { path: "$.c", type: object }                 | comments         | 'each' with a rule per element field
            no source               | title: { required: true }                               | title            | needs exactly one of 'path', 'constant' or 'template'
            two sources             | title: { path: "$.t", constant: x }                     | title            | needs exactly one of 'path', 'constant' or 'template'
            template forward ref    | title: { template: "${number}" }                        | title            | the template refers to 'number', which is not mapped before this field
            template syntax         | title: { template: "${not a field}" }                   | title            | bad template
            bad pattern             | title: { path: "$.t", pattern: "(unclosed" }            | title            | bad pattern
            unknown transform       | title: { path: "$.t", transform: [trim, titlecase] }    | title            | unknown transform 'titlecase'
            parse other than json   | custom_x: { path: "$.t", parse: xml }                   | custom_x         | not a canonical field
            required not boolean    | title: { path: "$.t", required: "yes" }                 | title            | 'required' is true or false
            default not convertible | resolved_at: { path: "$.r", type: datetime, default: soon } | resolved_at  | 'default' 'soon' is not a datetime
            constant null           | title: { constant: null }                               | title            | 'constant' must not be null
            values not a map        | status: { path: "$.s", values: [a, b] }                 | status           | 'values' must be a map
            empty split             | tags: { path: "$.t", split: "", type: "string[]" }      | tags             | 'split' needs a separator
            hub-set field           | tenant: "$.tenant"                                      | tenant           | set by the hub
            field not canonical     | severity: "$.sev"                                       | severity         | not a canonical field of incidents; map source-specific fields under 'custom'
            bad field name          | custom: { path: "$.c", type: object }\\ncustom:\\n  bad-name: "$.x" | custom.bad-name | a field name is letters, digits and underscores
            """)
    void refusesABrokenRuleNamingFileFieldAndProblem(String problem, String rule, String field, String message) {
        MappingException e = refusal(incidents("  " + rule.replace("\\n", "\n")));
        assertThat(e.field()).as(problem).isEqualTo(field);
        assertThat(e.problem()).as(problem).contains(message);
        assertThat(e.getMessage()).contains("field '" + field + "'");
    }

    @Test
    void refusesParseOtherThanJson() {
        assertThat(refusal("entity: incidents\nfields:\n  id: \"$.id\"\ncustom:\n  info: { path: \"$.i\", parse: xml }\n")
                .problem()).contains("'parse' takes only 'json'");
    }

    @Test
    void refusesAnUnknownTopLevelKey() {
        MappingException e = refusal("entity: incidents\nfeilds:\n  id: \"$.id\"\n");
        assertThat(e.field()).isNull();
        assertThat(e.problem()).contains("unknown key 'feilds'");
    }

    @Test
    void refusesAFileThatDoesNotMapTheId() {
        MappingException e = refusal("entity: incidents\nfields:\n  title: \"$.t\"\n");
        assertThat(e.field()).isEqualTo("id");
        assertThat(e.problem()).contains("every mapping maps 'id'");
    }

    @Test
    void refusesAnIdOfAnotherType() {
        assertThat(refusal("entity: incidents\nfields:\n  id: { path: \"$.id\", type: integer }\n").problem())
                .contains("use type: string");
    }

    @Test
    void refusesAnEntityThatDoesNotMatchTheFileName() {
        assertThat(refusal("entity: alerts\nfields:\n  id: \"$.id\"\n").problem())
                .contains("does not match the file name").contains("entity: incidents");
    }

    @Test
    void refusesAFileForAnEntityTheHubDoesNotHave() {
        assertThat(refusal("tickets", "entity: tickets\nfields:\n  id: \"$.id\"\n").problem())
                .contains("'tickets' is not an entity of the hub");
    }

    @Test
    void refusesYamlThatDoesNotParseOrRepeatsAKey() {
        assertThat(refusal("entity: incidents\nfields:\n  id: [unclosed\n").problem()).contains("not valid YAML");
        assertThat(refusal("entity: incidents\nfields:\n  id: \"$.id\"\n  id: \"$.sys_id\"\n").problem())
                .contains("not valid YAML");
    }

    @Test
    void refusesAMatchThatIsNotAMapOfPathToValues() {
        assertThat(refusal("entity: incidents\nmatch: [a]\nfields:\n  id: \"$.id\"\n").problem())
                .contains("'match' must be a map");
        MappingException e = refusal("entity: incidents\nmatch:\n  \"$.type\": { a: b }\nfields:\n  id: \"$.id\"\n");
        assertThat(e.field()).isEqualTo("match");
    }

    @Test
    void loadsEveryRuleKeyTogether() {
        Mapping m = new MappingLoader(SCHEMAS).load("test", "incidents", FILE, """
                entity: incidents
                match:
                  "$.kind": [incident, outage]
                fields:
                  id: { path: "$.id", required: true }
                  number: "$.number"
                  title: { path: ["$.title", "$.summary"], transform: [html-to-text, trim] }
                  status: { path: "$.state", values: { "1": new, "2": null }, default: unknown }
                  category: { constant: network }
                  created_at: { path: "$.created", type: datetime, format: "yyyy-MM-dd HH:mm:ss", zone: Europe/Berlin }
                  tags: { path: "$.labels", split: ",", type: "string[]" }
                  description: { template: "${number}: ${title}" }
                  comments:
                    path: "$.journal"
                    pattern: '(?<author>\\w+): (?<text>[^;]+)'
                    each:
                      author: { path: "$.author", transform: uppercase }
                      text: "$.text"
                custom:
                  info: { path: "$.info", parse: json, type: object }
                  count: { path: "$.count", type: integer, default: 0 }
                """);
        assertThat(m.entity()).isEqualTo("incidents");
        assertThat(m.set()).isEqualTo("test");
        assertThat(m.file()).isEqualTo(FILE);
    }

    @Test
    void theExceptionSaysFileFieldAndProblemInOneLine() {
        MappingException e = new MappingException("mappings/a/incidents.yaml", "title", "unknown key 'x'");
        assertThat(e.getMessage()).isEqualTo("mappings/a/incidents.yaml: field 'title': unknown key 'x'");
        assertThatThrownBy(() -> { throw e; }).hasMessageNotContaining("\n");
    }
}
