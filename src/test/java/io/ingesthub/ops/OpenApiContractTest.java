package io.ingesthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ingesthub.Endpoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps {@code docs/openapi.yaml} in step with the routes: every platform-http route under {@code routes/} is documented
 * with its method, and every documented path is served by a route.
 */
class OpenApiContractTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void documentsEveryRouteAndOnlyRoutes() throws Exception {
        Map<String, Set<String>> served = servedByRoutes();
        Map<String, Set<String>> documented = documented();
        assertThat(served).as("platform-http routes found under routes/").containsKeys("/incidents", "/request-items");

        for (Map.Entry<String, Set<String>> route : served.entrySet()) {
            assertThat(documented).as("docs/openapi.yaml lacks the path of route " + route.getKey()).containsKey(route.getKey());
            assertThat(documented.get(route.getKey())).as("documented methods of " + route.getKey())
                    .containsExactlyInAnyOrderElementsOf(route.getValue());
        }
        for (String path : documented.keySet()) {
            assertThat(served).as("docs/openapi.yaml documents " + path + " but no route serves it").containsKey(path);
        }
    }

    @Test
    void documentsEveryIngestionEndpointWithBothTokenFamilies() throws Exception {
        Map<String, Object> paths = paths();
        for (Endpoint e : Endpoint.table()) {
            if (e.keyFamily()) {
                assertThat(securitySchemes(paths, e.path())).as(e.path())
                        .contains("appToken", "bearerToken", "appTokenQuery", "accessTokenQuery");
            } else {
                assertThat(securitySchemes(paths, e.path())).as(e.path()).contains("appToken", "bearerToken", "appTokenAt")
                        .doesNotContain("accessTokenQuery");
            }
        }
    }

    /** Path → methods of every platform-http route in {@code routes/}, read by Camel's own YAML loader. */
    static Map<String, Set<String>> servedByRoutes() throws Exception {
        Map<String, Set<String>> served = new TreeMap<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            List<Resource> resources = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("routes"), "*.yaml")) {
                for (Path f : files) {
                    resources.add(ResourceHelper.resolveMandatoryResource(camel, "file:" + f));
                }
            }
            for (Resource resource : resources) {
                for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource)) {
                    camel.addRoutes(builder);
                    builder.addTemplatedRoutesToCamelContext(camel);
                }
            }
            for (RouteDefinition route : ((ModelCamelContext) camel).getRouteDefinitions()) {
                String uri = route.getInput().getEndpointUri();
                if (route.getTemplateParameters() != null) {
                    for (Map.Entry<String, Object> p : route.getTemplateParameters().entrySet()) {
                        uri = uri.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
                    }
                }
                if (!uri.startsWith("platform-http:")) {
                    continue;
                }
                String rest = uri.substring("platform-http:".length());
                int q = rest.indexOf('?');
                String path = q < 0 ? rest : rest.substring(0, q);
                Set<String> methods = new TreeSet<>();
                if (q >= 0) {
                    for (String param : rest.substring(q + 1).split("&")) {
                        if (param.startsWith("httpMethodRestrict=")) {
                            for (String m : param.substring("httpMethodRestrict=".length()).split(",")) {
                                methods.add(m.trim().toLowerCase(Locale.ROOT));
                            }
                        }
                    }
                }
                if (methods.isEmpty()) {
                    methods.add("get");
                    methods.add("post");
                }
                served.computeIfAbsent(path, p -> new TreeSet<>()).addAll(methods);
            }
        }
        return served;
    }

    private static Map<String, Set<String>> documented() throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (Map.Entry<String, Object> e : paths().entrySet()) {
            Set<String> methods = new TreeSet<>();
            for (Object key : ((Map<?, ?>) e.getValue()).keySet()) {
                if (HTTP_METHODS.contains(key.toString())) {
                    methods.add(key.toString());
                }
            }
            documented.put(e.getKey(), methods);
        }
        return documented;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> paths() throws IOException {
        try (Reader in = Files.newBufferedReader(Path.of("docs/openapi.yaml"))) {
            Map<String, Object> doc = new Yaml().load(in);
            assertThat(doc.get("openapi").toString()).startsWith("3.1");
            return (Map<String, Object>) doc.get("paths");
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> securitySchemes(Map<String, Object> paths, String path) {
        Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) paths.get(path)).get("post");
        Set<String> schemes = new TreeSet<>();
        for (Map<String, Object> requirement : (List<Map<String, Object>>) post.get("security")) {
            schemes.addAll(requirement.keySet());
        }
        return schemes;
    }
}
