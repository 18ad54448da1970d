package io.ingesthub.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs every shell block of README.md and docs/*.md marked {@code ```sh runnable} with bash, in order per file, as a
 * user would paste them after {@code export HUB=… KAFKA=…}, against a hub started for the test on a random port with
 * the local default's registry, in a copy of the repository's root whose {@code mappings/} is the hub's; fails with file and line when a block exits non-zero, and fails on any shell block
 * that is marked neither {@code runnable} nor {@code example}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camel.component.kafka.brokers=${spring.embedded.kafka.brokers}",
        "hub.tokens.secret=docs-test-token-secret-0123456789-abcdefghijklmnop",
        "hub.registry.file=" + RunnableDocsTest.REGISTRY_COPY,
        "hub.registry.poll-interval=500ms"})
@EmbeddedKafka(kraft = true, partitions = 3)
class RunnableDocsTest {

    static final String REGISTRY_COPY = "target/docs-registry/tenants.yaml";

    static {
        try {
            Files.createDirectories(Path.of(REGISTRY_COPY).getParent());
            Files.copy(Path.of("config/tenants.yaml"), Path.of(REGISTRY_COPY), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Set<String> SHELLS = Set.of("sh", "bash", "shell", "console", "zsh");
    private static final Pattern FENCE = Pattern.compile("^(```+|~~~+)\\s*([\\w-]*)\\s*(.*)$");

    // Blocks edit mapping files (the README breaks and fixes one): they run where mappings/ is a copy, the rest linked.
    private static final Path WORK = workingCopy();

    @DynamicPropertySource
    static void mappings(DynamicPropertyRegistry registry) {
        registry.add("hub.mappings.dir", () -> WORK.resolve("mappings").toString());
    }

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    /** A fenced shell block: where it starts (1-based line of the fence) and its text. */
    record Block(Path file, int line, String marker, String text) {
        String where() {
            return file + ":" + line;
        }
    }

    @Test
    void everyShellBlockIsMarkedRunnableOrExample() {
        List<String> unmarked = documents().flatMap(f -> shellBlocks(f).stream())
                .filter(b -> !b.marker().equals("runnable") && !b.marker().equals("example"))
                .map(b -> b.where() + " is marked '" + b.marker() + "'")
                .toList();
        assertThat(unmarked).as("shell blocks must open with ```sh runnable or ```sh example").isEmpty();
    }

    @Test
    void theReadmeWalkthroughIsRunnable() {
        List<Block> readme = shellBlocks(Path.of("README.md")).stream().filter(b -> b.marker().equals("runnable")).toList();
        assertThat(readme).anySatisfy(b -> assertThat(b.text())
                .contains("/tenant-users/oauth2/token").contains("/incidents").contains("kcat"));
    }

    @TestFactory
    Stream<DynamicTest> runnableBlocksRunAgainstAFreshHub() {
        return documents()
                .map(f -> new Object[] {f, shellBlocks(f).stream().filter(b -> b.marker().equals("runnable")).toList()})
                .filter(p -> !((List<?>) p[1]).isEmpty())
                .map(p -> {
                    @SuppressWarnings("unchecked")
                    List<Block> blocks = (List<Block>) p[1];
                    return DynamicTest.dynamicTest(p[0].toString(), () -> run(blocks));
                });
    }

    private void run(List<Block> blocks) throws IOException, InterruptedException {
        boolean kcat = onPath("kcat");
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            script.append("printf '\\n::begin ").append(i).append("\\n'\n");
            if (!kcat && b.text().contains("kcat ")) {
                System.out.println(b.where() + ": skipped, kcat is not installed (.ci/run installs it)");
            } else {
                script.append(b.text()).append('\n');
            }
            script.append("printf '\\n::end ").append(i).append("\\n'\n");
        }
        Path out = Files.createTempFile("docs-", ".out");
        Path err = Files.createTempFile("docs-", ".err");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).directory(WORK.toFile());
        pb.environment().put("HUB", "http://localhost:" + port);
        pb.environment().put("KAFKA", brokers);
        pb.environment().put("HUB_REGISTRY", Path.of(REGISTRY_COPY).toAbsolutePath().toString());
        Process bash = pb.start();
        boolean done = bash.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            bash.destroyForcibly();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (done && bash.exitValue() == 0) {
            assertThat(stdout).contains("::end " + (blocks.size() - 1));
            return;
        }
        int failed = lastBegun(stdout);
        Block b = blocks.get(failed);
        String output = stdout.substring(stdout.lastIndexOf("::begin " + failed) + ("::begin " + failed).length()).trim();
        throw new AssertionError(b.where() + ": the block " + (done ? "exited " + bash.exitValue() : "did not end within 180 s")
                + "\n--- block\n" + b.text() + "\n--- stdout\n" + tail(output) + "\n--- stderr\n" + tail(stderr));
    }

    private static Path workingCopy() {
        try {
            Path work = Files.createTempDirectory("docs-root-");
            try (Stream<Path> root = Files.list(Path.of("."))) {
                for (Path entry : root.toList()) {
                    Path to = work.resolve(entry.getFileName().toString());
                    if (entry.getFileName().toString().equals("mappings")) {
                        try (Stream<Path> all = Files.walk(entry)) {
                            for (Path p : all.toList()) {
                                Path target = to.resolve(entry.relativize(p).toString());
                                if (Files.isDirectory(p)) {
                                    Files.createDirectories(target);
                                } else {
                                    Files.copy(p, target);
                                }
                            }
                        }
                    } else {
                        Files.createSymbolicLink(to, entry.toAbsolutePath());
                    }
                }
            }
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lastBegun(String stdout) {
        Matcher m = Pattern.compile("(?m)^::begin (\\d+)$").matcher(stdout);
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    static Stream<Path> documents() {
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            List<Path> all = new ArrayList<>(List.of(Path.of("README.md")));
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
            return all.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of {@code file} whose info string starts with a shell name, with the word after it. */
    static List<Block> shellBlocks(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i).strip());
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(1);
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).strip().equals(fence)) {
                text.append(lines.get(j).startsWith(indent(lines.get(i))) ? lines.get(j).substring(indent(lines.get(i)).length()) : lines.get(j)).append('\n');
                j++;
            }
            if (SHELLS.contains(open.group(2))) {
                blocks.add(new Block(file, i + 1, open.group(3).split("\\s+")[0], text.toString()));
            }
            i = j;
        }
        return blocks;
    }

    private static String indent(String line) {
        return line.substring(0, line.length() - line.stripLeading().length());
    }
}
