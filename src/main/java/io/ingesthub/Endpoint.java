package io.ingesthub;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * One webhook endpoint of the table in {@value #TABLE} (a {@code templatedRoute} of the {@code webhook} template):
 * route id, path, entity and credential family ({@code key} or {@code at}).
 */
public record Endpoint(String routeId, String path, String entity, String credentials) {

    /** The one table of webhook endpoints; entities, topics and schemas are derived from it. */
    public static final String TABLE = "routes/webhooks.camel.yaml";

    /** Whether the endpoint takes the app token as {@code apptoken} and the bearer as {@code key} too. */
    public boolean keyFamily() {
        return "key".equals(credentials);
    }

    /** The endpoint a route created from the {@code webhook} template serves, from its parameters; null for others. */
    public static Endpoint of(String routeId, Map<String, ?> parameters) {
        if (parameters == null || parameters.get("path") == null || parameters.get("entity") == null
                || parameters.get("credentials") == null) {
            return null;
        }
        return new Endpoint(routeId, parameters.get("path").toString(), parameters.get("entity").toString(),
                parameters.get("credentials").toString());
    }

    /** The endpoints of {@value #TABLE}, read from the working directory as Camel's route loader reads it. */
    public static List<Endpoint> table() {
        try (Reader in = Files.newBufferedReader(Path.of(TABLE))) {
            return read(new Yaml().load(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the endpoint table " + TABLE, e);
        }
    }

    /** The distinct entities of {@link #table()}, in table order. */
    public static List<String> entities() {
        return table().stream().map(Endpoint::entity).distinct().toList();
    }

    private static List<Endpoint> read(List<Map<String, Object>> file) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map<String, Object> entry : file) {
            if (entry.get("templatedRoute") instanceof Map<?, ?> route) {
                Map<String, Object> parameters = new java.util.HashMap<>();
                for (Object p : (List<?>) route.get("parameters")) {
                    Map<?, ?> parameter = (Map<?, ?>) p;
                    parameters.put(parameter.get("name").toString(), parameter.get("value"));
                }
                Endpoint endpoint = of(String.valueOf(route.get("routeId")), parameters);
                if (endpoint == null) {
                    throw new IllegalStateException(TABLE + ": templatedRoute " + route.get("routeId")
                            + " lacks one of the parameters path, entity, credentials");
                }
                endpoints.add(endpoint);
            }
        }
        return List.copyOf(endpoints);
    }
}
