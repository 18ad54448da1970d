package io.ingesthub.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the imports of {@code src/main/java} and fails on any cycle between the hub's packages, naming the cycle and
 * the files whose imports close it; feature packages also stay free of Camel's exchange.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String ROOT = "io.ingesthub";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.ingesthub(?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final Set<String> FEATURES = Set.of("auth", "registry", "mapping", "kafka", "tokens");

    /** Package → imported package → the files whose imports make that edge. */
    static Map<String, Map<String, Set<String>>> graph() throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
                Matcher m = IMPORT.matcher(Files.readString(file));
                graph.computeIfAbsent(pkg, p -> new TreeMap<>());
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        graph.get(pkg).computeIfAbsent(m.group(1), p -> new TreeSet<>()).add(file.getFileName().toString());
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void packagesImportEachOtherWithoutCycles() throws IOException {
        Map<String, Map<String, Set<String>>> graph = graph();
        List<String> cycles = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            path.add(start);
            find(graph, start, start, path, cycles, reported);
        }
        assertThat(cycles).as("package import cycles in " + SOURCES).isEmpty();
    }

    @Test
    void featurePackagesKnowNothingOfTheExchange() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String feature : FEATURES) {
            Path dir = SOURCES.resolve((ROOT + "." + feature).replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (Files.readString(f).contains("import org.apache.camel.Exchange;")) {
                        problems.add(f + " imports org.apache.camel.Exchange; move the exchange-facing part to ingest or web");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static void find(Map<String, Map<String, Set<String>>> graph, String start, String at, List<String> path,
                             List<String> cycles, Set<String> reported) {
        for (String next : graph.getOrDefault(at, Map.of()).keySet()) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                if (reported.add(new TreeSet<>(cycle).toString())) {
                    StringBuilder sb = new StringBuilder(String.join(" -> ", cycle) + " -> " + start + " (");
                    for (int i = 0; i < cycle.size(); i++) {
                        String from = cycle.get(i);
                        String to = i + 1 < cycle.size() ? cycle.get(i + 1) : start;
                        sb.append(i == 0 ? "" : "; ").append(name(from)).append(" imports ").append(name(to))
                                .append(" in ").append(graph.get(from).get(to));
                    }
                    cycles.add(sb.append(")").toString());
                }
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                find(graph, start, next, path, cycles, reported);
                path.remove(path.size() - 1);
            }
        }
    }

    private static String name(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
    }
}
