package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The mapping sets in {@code hub.mappings.dir}, compiled and kept current: every {@code <set>/<entity>.yaml} is
 * loaded at start (a broken file stops the start with its error), then re-read when its content changes; a changed
 * file that fails validation is refused and the previous version keeps serving.
 */
@Component
public class MappingCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);

    /** One loaded file: what it was when read, and what it compiled to (kept from an earlier read if it broke). */
    private record Loaded(String content, Mapping mapping, String error) {}

    private final Path dir;
    private final MappingLoader loader;
    private final CanonicalSchemas schemas;
    private final Map<Path, Loaded> files = new HashMap<>();
    private volatile Map<String, Map<String, Mapping>> sets = Map.of();
    private volatile List<String> errors = List.of();
    private final boolean polling;

    public MappingCatalog(MappingProperties properties, CanonicalSchemas schemas) {
        this.dir = Path.of(properties.dir());
        this.schemas = schemas;
        this.loader = new MappingLoader(schemas);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("hub.mappings.dir '" + dir.toAbsolutePath() + "' is not a directory");
        }
        List<String> broken = reload();
        if (!broken.isEmpty()) {
            throw new IllegalStateException("Refusing to start with broken mapping files:\n  " + String.join("\n  ", broken));
        }
        this.polling = !properties.reloadInterval().isZero() && !properties.reloadInterval().isNegative();
        LOG.info("Loaded {} mapping files in {} sets from {}", files.size(), sets.size(), dir.toAbsolutePath());
    }

    /** The mapping of {@code entity} in {@code set}, or null when the set has none. */
    public Mapping find(String set, String entity) {
        Map<String, Mapping> s = set == null ? null : sets.get(set);
        return s == null || entity == null ? null : s.get(entity);
    }

    /** The set names and, per set, the entities it maps. */
    public Map<String, Map<String, Mapping>> sets() {
        return sets;
    }

    /** The errors of the files refused by the last reload; empty when every file loaded. */
    public List<String> errors() {
        return errors;
    }

    /**
     * Maps {@code record} with {@code mapping} and validates the result against the entity's canonical schema: the
     * one call the pipeline, the preview and the tests share.
     */
    public MappingResult map(Mapping mapping, JsonNode record) {
        MappingResult r = mapping.map(record);
        if (!r.accepted()) {
            return r;
        }
        List<FieldError> invalid = schemas.validate(mapping.entity(), r.record());
        return invalid.isEmpty() ? r : new MappingResult(r.id(), null, invalid);
    }

    /**
     * Re-reads the files that changed since the last call and publishes the result atomically; returns the errors of
     * refused files (each naming file, field and problem). Safe to call from tests and from the poller.
     */
    public synchronized List<String> reload() {
        Map<Path, Loaded> seen = new HashMap<>();
        try (DirectoryStream<Path> setDirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path setDir : setDirs) {
                try (DirectoryStream<Path> yamls = Files.newDirectoryStream(setDir, "*.{yaml,yml}")) {
                    for (Path file : yamls) {
                        seen.put(file, read(setDir.getFileName().toString(), file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        files.clear();
        files.putAll(seen);
        Map<String, Map<String, Mapping>> next = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Loaded l : seen.values()) {
            if (l.error() != null) {
                broken.add(l.error());
            }
            if (l.mapping() != null) {
                next.computeIfAbsent(l.mapping().set(), k -> new HashMap<>()).put(l.mapping().entity(), l.mapping());
            }
        }
        next.replaceAll((k, v) -> Map.copyOf(v));
        broken.sort(null);
        sets = Map.copyOf(next);
        errors = List.copyOf(broken);
        return errors;
    }

    private Loaded read(String set, Path file) throws IOException {
        // Compared by content: an edit within the file system's timestamp tick that keeps the size is still seen.
        String content = Files.readString(file, StandardCharsets.UTF_8);
        Loaded before = files.get(file);
        if (before != null && before.content().equals(content)) {
            return before;
        }
        String name = file.getFileName().toString();
        String entity = name.substring(0, name.lastIndexOf('.'));
        Path base = dir.getFileName() == null ? dir : dir.getFileName();
        String label = base.resolve(dir.relativize(file)).toString().replace('\\', '/');
        try {
            Mapping m = loader.load(set, entity, label, content);
            if (before != null) {
                LOG.info("Reloaded mapping {}", label);
            }
            return new Loaded(content, m, null);
        } catch (MappingException e) {
            LOG.error("Refused mapping file: {}{}", e.getMessage(),
                    before != null && before.mapping() != null ? " (the previous version keeps serving)" : "");
            return new Loaded(content, before == null ? null : before.mapping(), e.getMessage());
        }
    }

    /** Reloads, logging instead of throwing: the {@code mapping-reload} route calls it every {@code hub.mappings.reload-interval}. */
    public void poll() {
        if (!polling) {
            return;
        }
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.error("Mapping reload failed; the loaded mappings keep serving", e);
        }
    }
}
