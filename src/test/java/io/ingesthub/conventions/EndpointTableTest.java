package io.ingesthub.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.Endpoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Cross-checks the endpoint table ({@code routes/webhooks.camel.yaml}) against the canonical schemas,
 * {@code docs/openapi.yaml} and the Postman collection; every mismatch is listed with what to add or remove where.
 */
class EndpointTableTest {

    private static final List<Endpoint> TABLE = Endpoint.table();
    /** Documented paths outside the endpoint table: the token endpoint and the operators' monitoring API. */
    private static final Set<String> NOT_WEBHOOKS = Set.of("/tenant-users/oauth2/token", "/dsexecution");

    @Test
    void everyEndpointIsWellFormed() {
        List<String> problems = new ArrayList<>();
        Set<String> paths = new TreeSet<>();
        for (Endpoint e : TABLE) {
            if (!paths.add(e.path())) {
                problems.add(Endpoint.TABLE + ": path " + e.path() + " is served twice");
            }
            if (!Set.of("key", "at").contains(e.credentials())) {
                problems.add(Endpoint.TABLE + ": " + e.routeId() + " has credentials '" + e.credentials()
                        + "'; use key or at");
            }
            if (!e.path().matches("/[a-z0-9-]+")) {
                problems.add(Endpoint.TABLE + ": " + e.routeId() + " has path '" + e.path() + "'; use /kebab-case");
            }
        }
        assertThat(problems).as("endpoint table").isEmpty();
    }

    @Test
    void everyEntityHasASchemaAndEverySchemaAnEndpoint() throws IOException {
        Set<String> schemas = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("src/main/resources/schemas"), "*.schema.json")) {
            files.forEach(f -> schemas.add(f.getFileName().toString().replace(".schema.json", "")));
        }
        List<String> problems = new ArrayList<>();
        for (String entity : Endpoint.entities()) {
            if (!schemas.contains(entity)) {
                problems.add(Endpoint.TABLE + " names entity " + entity + " but src/main/resources/schemas/" + entity
                        + ".schema.json is missing");
            }
        }
        for (String schema : schemas) {
            if (!Endpoint.entities().contains(schema)) {
                problems.add("src/main/resources/schemas/" + schema + ".schema.json has no endpoint in " + Endpoint.TABLE);
            }
        }
        assertThat(problems).as("endpoints vs schemas").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiDocumentsEveryEndpointWithItsCredentialFamilyAndNoOther() throws IOException {
        Map<String, Object> paths;
        try (Reader in = Files.newBufferedReader(Path.of("docs/openapi.yaml"))) {
            paths = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(in)).get("paths");
        }
        List<String> problems = new ArrayList<>();
        Set<String> served = new TreeSet<>();
        for (Endpoint e : TABLE) {
            served.add(e.path());
            Map<String, Object> post = paths.get(e.path()) instanceof Map<?, ?> item ? (Map<String, Object>) item.get("post") : null;
            if (post == null) {
                problems.add("docs/openapi.yaml lacks 'post' under paths." + e.path() + " (" + Endpoint.TABLE + ")");
                continue;
            }
            Set<String> schemes = new TreeSet<>();
            for (Map<String, Object> requirement : (List<Map<String, Object>>) post.getOrDefault("security", List.of())) {
                schemes.addAll(requirement.keySet());
            }
            Set<String> expected = e.keyFamily() ? Set.of("appTokenQuery", "accessTokenQuery") : Set.of("appTokenAt");
            Set<String> other = e.keyFamily() ? Set.of("appTokenAt") : Set.of("appTokenQuery", "accessTokenQuery");
            for (String s : expected) {
                if (!schemes.contains(s)) {
                    problems.add("docs/openapi.yaml paths." + e.path() + ".post.security lacks " + s + " (credentials "
                            + e.credentials() + ")");
                }
            }
            for (String s : other) {
                if (schemes.contains(s)) {
                    problems.add("docs/openapi.yaml paths." + e.path() + ".post.security has " + s
                            + ", which credentials " + e.credentials() + " does not take");
                }
            }
        }
        for (String path : paths.keySet()) {
            boolean webhook = !path.startsWith("/admin/") && !path.startsWith("/sources/") && !NOT_WEBHOOKS.contains(path);
            if (webhook && !served.contains(path)) {
                problems.add("docs/openapi.yaml documents " + path + " but " + Endpoint.TABLE + " has no such path");
            }
        }
        assertThat(problems).as("endpoints vs docs/openapi.yaml").isEmpty();
    }

    @Test
    void postmanPostsToEveryEndpointWithItsCredentialFamilyAndToNoOther() throws IOException {
        JsonNode collection = new ObjectMapper().readTree(Path.of("postman/ingest-hub.postman_collection.json").toFile());
        List<JsonNode> requests = new ArrayList<>();
        collect(collection.path("item"), requests);
        Map<String, Endpoint> byPath = new java.util.HashMap<>();
        TABLE.forEach(e -> byPath.put(e.path(), e));
        List<String> problems = new ArrayList<>();
        Set<String> posted = new TreeSet<>();
        for (JsonNode request : requests) {
            JsonNode url = request.path("request").path("url");
            String path = "/" + String.join("/", new ObjectMapper().convertValue(url.path("path"), String[].class));
            if (!"POST".equals(request.path("request").path("method").asText()) || path.startsWith("/admin/")
                    || path.startsWith("/sources/") || NOT_WEBHOOKS.contains(path)) {
                continue;
            }
            Endpoint e = byPath.get(path);
            if (e == null) {
                problems.add("postman request '" + request.path("name").asText() + "' posts to " + path
                        + ", which " + Endpoint.TABLE + " does not serve");
                continue;
            }
            posted.add(path);
            for (JsonNode q : url.path("query")) {
                String name = q.path("key").asText();
                boolean allowed = e.keyFamily() ? Set.of("apptoken", "key").contains(name) : "at".equals(name);
                if (!allowed && !request.path("name").asText().startsWith("Bearer token as key")) {
                    problems.add("postman request '" + request.path("name").asText() + "' sends query parameter '"
                            + name + "', which " + path + " (credentials " + e.credentials() + ") does not take");
                }
            }
        }
        for (Endpoint e : TABLE) {
            if (!posted.contains(e.path())) {
                problems.add("postman/ingest-hub.postman_collection.json has no POST " + e.path());
            }
        }
        assertThat(problems).as("endpoints vs the Postman collection").isEmpty();
    }

    private static void collect(JsonNode items, List<JsonNode> into) {
        for (JsonNode item : items) {
            if (item.has("item")) {
                collect(item.path("item"), into);
            } else {
                into.add(item);
            }
        }
    }
}
