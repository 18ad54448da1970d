package io.ingesthub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** What each rule key does to a record, proven on the engine alone (no Camel, no Spring). */
class MappingRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CanonicalSchemas SCHEMAS = new CanonicalSchemas();

    private static Mapping mapping(String entity, String yaml) {
        return new MappingLoader(SCHEMAS).load("test", entity, "mappings/test/" + entity + ".yaml", yaml);
    }

    /** An incidents mapping with {@code id: $.id} and the given field lines. */
    private static Mapping incidents(String fieldLines) {
        return mapping("incidents", "entity: incidents\nfields:\n  id: \"$.id\"\n" + fieldLines + "\n");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode mapped(Mapping m, String record) {
        MappingResult r = m.map(json(record));
        assertThat(r.errors()).as("errors").isEmpty();
        return r.record();
    }

    private static FieldError rejected(Mapping m, String record) {
        MappingResult r = m.map(json(record));
        assertThat(r.accepted()).as("rejected").isFalse();
        assertThat(r.record()).isNull();
        return r.errors().get(0);
    }

    @Test
    void pathShorthandAndRuleMapTheSameValue() {
        Mapping m = incidents("  title: \"$.a.b\"\n  description: { path: \"$['a']['b']\" }");
        assertThat(mapped(m, "{'id':'1','a':{'b':'x'}}")).isEqualTo(json("{'id':'1','title':'x','description':'x'}"));
    }

    @Test
    void jsonPathFiltersAndWildcardsSelectValues() {
        Mapping m = incidents("  title: \"$.items[?(@.kind == 'main')].name\"\n  tags: { path: \"$.items[*].name\", type: \"string[]\" }");
        JsonNode out = mapped(m, "{'id':'1','items':[{'kind':'side','name':'a'},{'kind':'main','name':'b'}]}");
        assertThat(out.path("title").asText()).isEqualTo("b");
        assertThat(out.path("tags")).isEqualTo(json("['a','b']"));
    }

    @Test
    void aListOfPathsTakesTheFirstValueForAScalarAndAllForAList() {
        Mapping m = incidents("  assignee: { path: [\"$.a.display_value\", \"$.a.value\", \"$.a\"] }\n"
                + "  tags: { path: [\"$.x\", \"$.y\"], type: \"string[]\" }");
        assertThat(mapped(m, "{'id':'1','a':{'value':'sys1'},'x':'p','y':['q','r']}"))
                .isEqualTo(json("{'id':'1','assignee':'sys1','tags':['p','q','r']}"));
        assertThat(mapped(m, "{'id':'1','a':'Plain Name'}").path("assignee").asText()).isEqualTo("Plain Name");
        assertThat(mapped(m, "{'id':'1','a':{'display_value':'Ann','value':'sys1'}}").path("assignee").asText())
                .isEqualTo("Ann");
    }

    @Test
    void nullsAndEmptyStringsCountAsNoValueAndAreLeftOut() {
        Mapping m = incidents("  title: \"$.t\"\n  description: \"$.d\"\n  category: \"$.missing\"");
        assertThat(mapped(m, "{'id':'1','t':null,'d':''}")).isEqualTo(json("{'id':'1'}"));
    }

    @Test
    void requiredRejectsTheRecordNamingTheField() {
        Mapping m = incidents("  title: { path: \"$.t\", required: true }");
        FieldError e = rejected(m, "{'id':'1','t':''}");
        assertThat(e).isEqualTo(new FieldError("title", "required, but $.t has no value"));
        assertThat(m.map(json("{'id':'1'}")).id()).as("the id is known even when rejected").isEqualTo("1");
    }

    @Test
    void theIdIsAlwaysRequiredAndAlwaysText() {
        Mapping m = incidents("");
        assertThat(rejected(m, "{'title':'no id'}").field()).isEqualTo("id");
        MappingResult r = m.map(json("{'id':48213}"));
        assertThat(r.id()).isEqualTo("48213");
        assertThat(r.record().path("id").isTextual()).isTrue();
    }

    @Test
    void defaultFillsInWhenThePathHasNoValue() {
        Mapping m = incidents("  status: { path: \"$.s\", default: unknown }\n  tags: { path: \"$.t\", type: \"string[]\", default: [] }");
        assertThat(mapped(m, "{'id':'1'}")).isEqualTo(json("{'id':'1','status':'unknown','tags':[]}"));
        assertThat(mapped(m, "{'id':'1','s':'open'}").path("status").asText()).isEqualTo("open");
    }

    @Test
    void constantIgnoresTheRecordAndIsTyped() {
        Mapping m = mapping("requestitems", "entity: requestitems\nfields:\n  id: \"$.id\"\n  category: { constant: hardware }\n"
                + "  quantity: { constant: \"1\", type: integer }\n");
        assertThat(mapped(m, "{'id':'1','category':'x'}")).isEqualTo(json("{'id':'1','category':'hardware','quantity':1}"));
    }

    @Test
    void valuesTranslateCodesAndDefaultCoversUnmappedOnes() {
        Mapping m = incidents("  status: { path: \"$.s\", values: { \"1\": new, \"6\": resolved, \"8\": null }, default: unknown }\n"
                + "  priority: { path: \"$.p\", values: { \"1\": critical } }");
        assertThat(mapped(m, "{'id':'1','s':'6','p':'1'}")).isEqualTo(json("{'id':'1','status':'resolved','priority':'critical'}"));
        assertThat(mapped(m, "{'id':'1','s':'42','p':'9'}"))
                .as("unmapped: the default when there is one, else the value as it is")
                .isEqualTo(json("{'id':'1','status':'unknown','priority':'9'}"));
        assertThat(mapped(m, "{'id':'1','s':'8'}").path("status").asText()).as("mapped to null: no value, so default")
                .isEqualTo("unknown");
        assertThat(mapped(m, "{'id':'1','s':1}").path("status").asText()).as("numbers match by their text").isEqualTo("new");
    }

    @Test
    void templateJoinsFieldsMappedBeforeAndYieldsNothingWhenOneIsMissing() {
        Mapping m = incidents("  number: \"$.n\"\n  title: \"$.t\"\n  description: { template: \"${number}: ${title}\", default: none }");
        assertThat(mapped(m, "{'id':'1','n':'INC1','t':'Disk full'}").path("description").asText()).isEqualTo("INC1: Disk full");
        assertThat(mapped(m, "{'id':'1','t':'Disk full'}").path("description").asText()).isEqualTo("none");
    }

    @Test
    void transformsApplyInOrder() {
        Mapping m = incidents("  title: { path: \"$.t\", transform: [trim, uppercase] }\n  status: { path: \"$.s\", transform: lowercase }\n"
                + "  description: { path: \"$.html\", transform: html-to-text }");
        JsonNode out = mapped(m, "{'id':'1','t':'  disk full  ','s':'In Progress',"
                + "'html':'<p>First &amp; <b>bold</b></p><script>alert(1)</script><ul><li>one</li><li>two</li></ul>'}");
        assertThat(out.path("title").asText()).isEqualTo("DISK FULL");
        assertThat(out.path("status").asText()).isEqualTo("in progress");
        assertThat(out.path("description").asText()).isEqualTo("First & bold\none\ntwo");
    }

    @Test
    void htmlThatIsOnlyMarkupLeavesNoValue() {
        Mapping m = incidents("  description: { path: \"$.html\", transform: html-to-text, default: empty }");
        assertThat(mapped(m, "{'id':'1','html':'<p> </p><style>p{}</style>'}").path("description").asText()).isEqualTo("empty");
    }

    @Test
    void splitCutsOneStringIntoAListWithoutBlanksOrRepeats() {
        Mapping m = incidents("  tags: { path: \"$.t\", split: \",\", type: \"string[]\" }");
        assertThat(mapped(m, "{'id':'1','t':'env:prod, team:web,,env:prod '}").path("tags"))
                .isEqualTo(json("['env:prod','team:web']"));
    }

    @Test
    void patternTakesTheFirstGroupOrWholeMatch() {
        Mapping m = incidents("  category: { path: \"$.tags\", pattern: '(?:^|,)service:([^,]+)' }\n"
                + "  number: { path: \"$.title\", pattern: 'INC\\d+' }");
        JsonNode out = mapped(m, "{'id':'1','tags':'env:prod,service:orders-db,team:dba','title':'re: INC0042 and INC0043'}");
        assertThat(out.path("category").asText()).isEqualTo("orders-db");
        assertThat(out.path("number").asText()).isEqualTo("INC0042");
        assertThat(mapped(m, "{'id':'1','tags':'env:prod'}").has("category")).as("no match: no value").isFalse();
    }

    @Test
    void patternWithNamedGroupsMakesObjectsForEach() {
        Mapping m = mapping("incidents", """
                entity: incidents
                fields:
                  id: "$.id"
                  comments:
                    path: "$.journal"
                    pattern: '(?<when>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) - (?<who>[^\\n]+)\\n(?<what>[^\\n]+)'
                    each:
                      author: "$.who"
                      text: "$.what"
                      created_at: { path: "$.when", type: datetime, format: "yyyy-MM-dd HH:mm:ss" }
                """);
        JsonNode out = mapped(m, "{'id':'1','journal':'2025-03-11 10:15:03 - Ann\\nsecond\\n\\n2025-03-11 09:05:12 - Bo\\nfirst\\n\\n'}");
        assertThat(out.path("comments")).isEqualTo(json("[{'author':'Ann','text':'second','created_at':'2025-03-11T10:15:03Z'},"
                + "{'author':'Bo','text':'first','created_at':'2025-03-11T09:05:12Z'}]"));
    }

    @Test
    void eachMapsEveryElementOfAnArrayWithItsOwnRules() {
        Mapping m = mapping("conversations", """
                entity: conversations
                fields:
                  id: "$.id"
                  messages:
                    path: "$.events[?(@.type == 'message')]"
                    each:
                      author: "$.by.name"
                      role: { path: ["$.by.subtypes[0]", "$.by.type"], values: { AI: bot, business: agent } }
                      text: "$.text"
                      sent_at: { path: "$.at", type: datetime }
                """);
        JsonNode out = mapped(m, "{'id':'c1','events':[{'type':'message','by':{'name':'Ann','type':'user'},'text':'hi','at':'2025-03-11T14:02:11.512Z'},"
                + "{'type':'typing'},{'type':'message','by':{'name':'Bot','type':'business','subtypes':['AI']},'text':'hello'}]}");
        assertThat(out.path("messages")).isEqualTo(json("[{'author':'Ann','role':'user','text':'hi','sent_at':'2025-03-11T14:02:11.512Z'},"
                + "{'author':'Bot','role':'bot','text':'hello'}]"));
    }

    @Test
    void eachNamesTheElementAndFieldThatFailed() {
        Mapping m = incidents("  comments:\n    path: \"$.c\"\n    each:\n      text: { path: \"$.t\", required: true }");
        assertThat(rejected(m, "{'id':'1','c':[{'t':'ok'},{'x':'no text'}]}"))
                .isEqualTo(new FieldError("comments[1].text", "required, but $.t has no value"));
        assertThat(rejected(m, "{'id':'1','c':['plain']}"))
                .isEqualTo(new FieldError("comments[0]", "expected an object, got 'plain'"));
    }

    @Test
    void parseJsonReadsJsonInsideAString() {
        Mapping m = mapping("alerts", "entity: alerts\nfields:\n  id: \"$.id\"\ncustom:\n  info: { path: \"$.info\", parse: json, type: object }\n");
        assertThat(mapped(m, "{'id':'1','info':'{\\'alertname\\':\\'DiskSpaceLow\\',\\'free_pct\\':6.8}'}").path("custom"))
                .isEqualTo(json("{'info':{'alertname':'DiskSpaceLow','free_pct':6.8}}"));
        assertThat(rejected(m, "{'id':'1','info':'{not json'}").field()).isEqualTo("custom.info");
    }

    @Test
    void typesConvertOnlyWithoutLoss() {
        Mapping m = mapping("requestitems", """
                entity: requestitems
                fields:
                  id: "$.id"
                  quantity: { path: "$.q", type: integer }
                custom:
                  price: { path: "$.p", type: number }
                  active: { path: "$.a", type: boolean }
                  label: { path: "$.l" }
                  labels: { path: "$.ls", type: "string[]" }
                  raw: { path: "$.o", type: object }
                """);
        assertThat(mapped(m, "{'id':'1','q':'3','p':'2874.50','a':'TRUE','l':42,'ls':'one','o':{'k':[1]}}"))
                .isEqualTo(json("{'id':'1','quantity':3,'custom':{'price':2874.5,'active':true,'label':'42','labels':['one'],'raw':{'k':[1]}}}"));
        assertThat(mapped(m, "{'id':'1','q':2.0,'a':false}").path("quantity").asInt()).isEqualTo(2);
        assertThat(rejected(m, "{'id':'1','q':'2.5'}")).isEqualTo(new FieldError("quantity", "cannot convert '2.5' to integer"));
        assertThat(rejected(m, "{'id':'1','q':'three'}").message()).isEqualTo("cannot convert 'three' to integer");
        assertThat(rejected(m, "{'id':'1','p':'12 EUR'}")).isEqualTo(new FieldError("custom.price", "cannot convert '12 EUR' to number"));
        assertThat(rejected(m, "{'id':'1','a':'yes'}")).isEqualTo(new FieldError("custom.active", "cannot convert 'yes' to boolean"));
        assertThat(rejected(m, "{'id':'1','l':{'x':1}}")).isEqualTo(new FieldError("custom.label", "cannot convert an object to string"));
        assertThat(rejected(m, "{'id':'1','o':'text'}")).isEqualTo(new FieldError("custom.raw", "cannot convert 'text' to object"));
        assertThat(rejected(m, "{'id':'1','ls':[{'x':1}]}").field()).isEqualTo("custom.labels");
    }

    @Test
    void datetimesReadEveryCommonSourceFormatAndWriteRfc3339Utc() {
        Mapping m = mapping("changes", """
                entity: changes
                fields:
                  id: "$.id"
                  created_at: { path: "$.iso", type: datetime }
                  updated_at: { path: "$.sn", type: datetime, format: "yyyy-MM-dd HH:mm:ss", zone: Europe/Berlin }
                  planned_start_at: { path: "$.ms", type: datetime, format: epoch-millis }
                  planned_end_at: { path: "$.s", type: datetime, format: epoch-seconds }
                custom:
                  day: { path: "$.day", type: datetime, format: "yyyy-MM-dd" }
                """);
        JsonNode out = mapped(m, "{'id':'1','iso':'2025-03-12T07:03:12.481+0000','sn':'2025-03-11 08:42:17',"
                + "'ms':'1741749247000','s':1741749247,'day':'2025-03-12'}");
        assertThat(out).isEqualTo(json("{'id':'1','created_at':'2025-03-12T07:03:12.481Z','updated_at':'2025-03-11T07:42:17Z',"
                + "'planned_start_at':'2025-03-12T03:14:07Z','planned_end_at':'2025-03-12T03:14:07Z','custom':{'day':'2025-03-12T00:00:00Z'}}"));
        assertThat(mapped(m, "{'id':'1','iso':'2025-03-12T08:03:12+01:00'}").path("created_at").asText()).isEqualTo("2025-03-12T07:03:12Z");
        assertThat(mapped(m, "{'id':'1','iso':'2025-03-12T07:03:12'}").path("created_at").asText())
                .as("no offset: the zone (UTC by default)").isEqualTo("2025-03-12T07:03:12Z");
        assertThat(rejected(m, "{'id':'1','sn':'2025-02-30 10:00:00'}").field()).isEqualTo("updated_at");
        assertThat(rejected(m, "{'id':'1','ms':'soon'}"))
                .isEqualTo(new FieldError("planned_start_at", "cannot read 'soon' as a date-time in format 'epoch-millis'"));
    }

    @Test
    void customEntriesLandUnderCustomNextToAMappedCustomObject() {
        Mapping m = mapping("incidents", "entity: incidents\nfields:\n  id: \"$.id\"\n  custom: { path: \"$.custom\", type: object }\n"
                + "custom:\n  extra: \"$.x\"\n");
        JsonNode in = json("{'id':'1','custom':{'a':1},'x':'y'}");
        assertThat(m.map(in).record().path("custom")).isEqualTo(json("{'a':1,'extra':'y'}"));
        assertThat(in.path("custom")).as("the input record is not changed").isEqualTo(json("{'a':1}"));
    }

    @Test
    void matchRejectsRecordsOfAnotherShapeWithAClearError() {
        Mapping m = mapping("incidents", "entity: incidents\nmatch:\n  \"$.event.data.type\": [incident]\nfields:\n  id: \"$.event.data.id\"\n");
        assertThat(mapped(m, "{'event':{'data':{'type':'incident','id':'Q1'}}}").path("id").asText()).isEqualTo("Q1");
        assertThat(rejected(m, "{'event':{'data':{'type':'incident_note','id':'N1'}}}")).isEqualTo(new FieldError("$",
                "this mapping takes records whose $.event.data.type is 'incident', not 'incident_note'"));
        assertThat(rejected(m, "{'event':{}}").message()).endsWith("not missing");
    }

    @Test
    void aRecordThatIsNotAnObjectIsRejected() {
        Mapping m = incidents("");
        assertThat(rejected(m, "['a']")).isEqualTo(new FieldError("$", "the record is not a JSON object"));
        assertThat(rejected(m, "'text'").field()).isEqualTo("$");
    }

    @Test
    void schemaValidationRejectsWhatTheMappingCannotCatch() {
        Mapping m = mapping("requestitems", "entity: requestitems\nfields:\n  id: \"$.id\"\n  quantity: { path: \"$.q\", type: integer }\n");
        MappingResult mapped = m.map(json("{'id':'1','q':-2}"));
        assertThat(mapped.accepted()).isTrue();
        assertThat(SCHEMAS.validate("requestitems", mapped.record()))
                .containsExactly(new FieldError("quantity", "schema: must have a minimum value of 0"));
        assertThat(SCHEMAS.validate("incidents", json("{'id':'1','comments':[{'text':'x','created_at':'not a date'}]}")))
                .singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("comments[0].created_at"));
        assertThat(SCHEMAS.validate("incidents", json("{'title':'x','color':'red'}")))
                .extracting(FieldError::field).containsExactly("color", "id");
    }
}
