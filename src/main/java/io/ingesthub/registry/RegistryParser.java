package io.ingesthub.registry;

import io.ingesthub.sources.DeliveryIdSource;
import io.ingesthub.sources.Presets;
import io.ingesthub.sources.Scheme;
import io.ingesthub.sources.SignatureVerifier;
import io.ingesthub.sources.SignedContent;
import io.ingesthub.sources.SourceSecret;
import io.ingesthub.sources.SourceVerification;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the registry YAML into a {@link Registry}, checking every key and reference and reporting each problem with
 * its file and line. Secret values are never quoted in a problem or warning.
 */
final class RegistryParser {

    private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]*");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:(/[^}]+)}");

    private final String file;
    private final References references;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Registry.Tenant> tenants = new LinkedHashMap<>();
    private final Map<ByteBuffer, Registry.App> appsByToken = new HashMap<>();
    private final Map<ByteBuffer, String> tokenOwners = new HashMap<>();

    private RegistryParser(String file, References references) {
        this.file = file;
        this.references = references;
    }

    /**
     * Parses {@code text} read from {@code file} (the file name only labels messages).
     *
     * @throws RegistryException listing every problem found
     */
    static Registry parse(String file, String text) {
        return parse(file, text, References.SYSTEM);
    }

    /** As {@link #parse(String, String)}, resolving {@code ${env:…}} and {@code ${file:…}} through {@code references}. */
    static Registry parse(String file, String text, References references) {
        return new RegistryParser(file, references).read(text);
    }

    private Registry read(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new RegistryException(file, List.of(where(line) + "not valid YAML: " + e.getProblem()));
        } catch (YAMLException e) {
            throw new RegistryException(file, List.of(file + ": not valid YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw new RegistryException(file, List.of(file + ": the file is empty; it needs a 'tenants:' mapping"));
        }
        MappingNode top = mapping(root, "the top level");
        if (top != null) {
            Node tenantsNode = null;
            for (NodeTuple t : top.getValue()) {
                String key = key(t);
                if ("tenants".equals(key)) {
                    tenantsNode = t.getValueNode();
                } else {
                    problem(t.getKeyNode(), "unknown key '" + key + "' at the top level (expected: tenants)");
                }
            }
            if (tenantsNode == null) {
                problem(top, "no 'tenants:' mapping");
            } else {
                entries(tenantsNode, "tenants", this::tenant);
                if (tenants.isEmpty() && problems.isEmpty()) {
                    problem(tenantsNode, "tenants: defines no tenant");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RegistryException(file, problems);
        }
        return new Registry(tenants, appsByToken, warnings);
    }

    private void tenant(String name, Node key, Node node) {
        String path = "tenants." + name;
        if (!TENANT_NAME.matcher(name).matches()) {
            problem(key, path + ": a tenant name must be a lower-case DNS label (a-z, 0-9, '-'), as in the Host "
                    + "header <tenant>.api.example.com");
        }
        Map<String, Node> fields = fields(node, path, Set.of("data-sources", "apps", "service-accounts"));
        Map<String, Registry.DataSource> dataSources = new LinkedHashMap<>();
        Map<String, Registry.App> apps = new LinkedHashMap<>();
        Map<String, Registry.ServiceAccount> accounts = new LinkedHashMap<>();
        if (fields.containsKey("data-sources")) {
            entries(fields.get("data-sources"), path + ".data-sources",
                    (ds, dsKey, dsNode) -> dataSources.put(ds, dataSource(path + ".data-sources." + ds, ds, dsNode)));
        }
        if (fields.containsKey("apps")) {
            entries(fields.get("apps"), path + ".apps",
                    (app, appKey, appNode) -> apps.put(app, app(name, app, appNode, dataSources)));
        }
        if (fields.containsKey("service-accounts")) {
            entries(fields.get("service-accounts"), path + ".service-accounts", (user, saKey, saNode) -> {
                Registry.ServiceAccount account = serviceAccount(name, user, saNode);
                if (account != null) {
                    accounts.put(user, account);
                }
            });
        }
        tenants.put(name, new Registry.Tenant(name, dataSources, apps, accounts));
    }

    private Registry.DataSource dataSource(String path, String name, Node node) {
        Map<String, Node> f = fields(node, path, Set.of("mappings", "source", "verify", "delivery-id", "archive"));
        String mappings = required(f, node, path, "mappings");
        if (mappings != null && !folderName(mappings)) {
            problem(f.get("mappings"), path + ".mappings: '" + mappings
                    + "' is not a folder name under mappings/ (letters, digits, '.', '_', '-')");
        }
        String source = null;
        if (f.containsKey("source")) {
            source = scalar(f.get("source"), path + ".source");
            if (source != null && !folderName(source)) {
                problem(f.get("source"), path + ".source: '" + source
                        + "' is not the name of a route file routes/sources/<source>.camel.yaml");
                source = null;
            }
            if (!f.containsKey("verify")) {
                problem(f.get("source"), path + ": a data source with a 'source' needs 'verify:', "
                        + "which says how its sender signs deliveries");
            }
        }
        Verify verify = f.containsKey("verify") ? verify(path + ".verify", f.get("verify")) : null;
        DeliveryIdSource deliveryId = verify == null ? null : verify.deliveryId;
        if (f.containsKey("delivery-id")) {
            if (verify != null && verify.explicitDeliveryId) {
                problem(f.get("delivery-id"), path + ".delivery-id: given here and in verify:; keep one");
            }
            DeliveryIdSource explicit = read(f.get("delivery-id"), path + ".delivery-id", DeliveryIdSource::parse);
            deliveryId = explicit != null ? explicit : deliveryId;
        }
        boolean archive = f.containsKey("archive") && flag(f.get("archive"), path + ".archive", false);
        return new Registry.DataSource(name, mappings, source, verify == null ? null : verify.verification,
                deliveryId, archive);
    }

    private Registry.App app(String tenant, String name, Node node, Map<String, Registry.DataSource> dataSources) {
        String path = "tenants." + tenant + ".apps." + name;
        Map<String, Node> f = fields(node, path, Set.of("app-token", "data-source", "rate-limit", "client-secret"));
        StoredSecret token = secret(f, node, path, "app-token");
        if (token != null && token.scheme() == StoredSecret.Scheme.BCRYPT) {
            problem(f.get("app-token"), path + ".app-token: {bcrypt} is not supported for app tokens, "
                    + "which are looked up by digest; use {sha256} (printf %s 'token' | sha256sum)");
            token = null;
        }
        String dsName = required(f, node, path, "data-source");
        Registry.DataSource ds = dsName == null ? null : dataSources.get(dsName);
        if (dsName != null && ds == null) {
            problem(f.get("data-source"), path + ".data-source: '" + dsName + "' is not a data source of tenant '"
                    + tenant + "' (defined: " + String.join(", ", dataSources.keySet()) + ")");
        }
        StoredSecret clientSecret = f.containsKey("client-secret") ? secret(f, node, path, "client-secret") : null;
        if (clientSecret != null && clientSecret.plainText()) {
            warnings.add(where(line(f.get("client-secret"))) + path
                    + ".client-secret is stored as {noop} plain text; store {bcrypt}<hash> instead");
        }
        Registry.App app = new Registry.App(tenant, name, ds, read(f.get("rate-limit"), path + ".rate-limit", RateLimit::parse), clientSecret);
        if (token != null) {
            indexToken(token, f.get("app-token"), path, app);
        }
        return app;
    }

    /** A scalar read with {@code parser}, or {@code null} (and a problem naming the value) when it does not parse. */
    private <T> T read(Node node, String path, java.util.function.Function<String, T> parser) {
        String text = node == null ? null : scalar(node, path);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(node, path + ": '" + text + "' " + e.getMessage());
            return null;
        }
    }

    private void indexToken(StoredSecret token, Node at, String appPath, Registry.App app) {
        ByteBuffer digest = ByteBuffer.wrap(token.digest());
        String owner = tokenOwners.putIfAbsent(digest, appPath);
        if (owner != null) {
            problem(at, appPath + ".app-token: the same app token is already used by " + owner
                    + "; every app needs its own token");
        } else {
            appsByToken.put(digest, app);
        }
        if (token.plainText()) {
            warnings.add(where(line(at)) + appPath + ".app-token is stored as {noop} plain text; store {sha256}<hex> instead");
        }
    }

    private Registry.ServiceAccount serviceAccount(String tenant, String user, Node node) {
        String path = "tenants." + tenant + ".service-accounts." + user;
        Map<String, Node> f = fields(node, path, Set.of("password", "enabled"));
        StoredSecret password = secret(f, node, path, "password");
        boolean enabled = !f.containsKey("enabled") || flag(f.get("enabled"), path + ".enabled", true);
        if (password == null) {
            return null;
        }
        if (password.plainText()) {
            warnings.add(where(line(f.get("password"))) + path
                    + ".password is stored as {noop} plain text; store {bcrypt}<hash> instead");
        }
        return new Registry.ServiceAccount(tenant, user, password, enabled, credentialState(tenant, user, password, enabled));
    }

    private boolean flag(Node node, String path, boolean otherwise) {
        String flag = scalar(node, path);
        if ("true".equalsIgnoreCase(flag) || "false".equalsIgnoreCase(flag)) {
            return Boolean.parseBoolean(flag.toLowerCase(Locale.ROOT));
        }
        if (flag != null) {
            problem(node, path + ": '" + flag + "' is not true or false");
        }
        return otherwise;
    }

    private static boolean folderName(String name) {
        return SIMPLE_NAME.matcher(name).matches() && !name.contains("..");
    }

    /** Where {@code ${env:NAME}} and {@code ${file:/path}} secret references are looked up. */
    interface References {

        References SYSTEM = new References() {
            @Override
            public String env(String name) {
                return System.getenv(name);
            }

            @Override
            public String file(Path path) throws IOException {
                return Files.readString(path, StandardCharsets.UTF_8);
            }
        };

        /** The variable's value, or {@code null} when it is not set. */
        String env(String name);

        String file(Path path) throws IOException;
    }

    /** A parsed {@code verify:} block and whether it named a delivery id itself. */
    private record Verify(SourceVerification verification, DeliveryIdSource deliveryId, boolean explicitDeliveryId) {}

    private static final Set<String> HMAC_FIELDS = Set.of("header", "prefix", "encoding", "algorithm", "signed",
            "separator", "timestamp-header", "timestamp-element", "id-header", "key-encoding");
    private static final Set<String> VERIFY_FIELDS;

    static {
        Set<String> all = new java.util.HashSet<>(HMAC_FIELDS);
        all.addAll(Set.of("scheme", "secrets", "tolerance", "delivery-id"));
        VERIFY_FIELDS = Set.copyOf(all);
    }

    private Verify verify(String path, Node node) {
        Map<String, Node> f = fields(node, path, VERIFY_FIELDS);
        String name = required(f, node, path, "scheme");
        Duration tolerance = f.containsKey("tolerance") ? duration(f.get("tolerance"), path + ".tolerance") : null;
        Scheme scheme = name == null ? null : scheme(path, name, f, tolerance);
        List<SourceSecret> secrets = secrets(path + ".secrets", f.get("secrets"), node, scheme);
        boolean explicit = f.containsKey("delivery-id");
        DeliveryIdSource deliveryId = explicit ? read(f.get("delivery-id"), path + ".delivery-id", DeliveryIdSource::parse)
                : name == null ? null : Presets.deliveryId(name);
        if (scheme == null || secrets == null) {
            return null;
        }
        return new Verify(new SourceVerification(name, scheme, secrets, deliveryId), deliveryId, explicit);
    }

    private Scheme scheme(String path, String name, Map<String, Node> f, Duration tolerance) {
        Set<String> allowed = switch (name) {
            case "hmac" -> HMAC_FIELDS;
            case "header-token" -> Set.of("header", "prefix");
            default -> Set.of();
        };
        for (String key : HMAC_FIELDS) {
            if (f.containsKey(key) && !allowed.contains(key)) {
                problem(f.get(key), path + "." + key + ": only for scheme hmac" + ("header".equals(key)
                        || "prefix".equals(key) ? " or header-token" : "") + ", not " + name);
            }
        }
        try {
            if (!"hmac".equals(name)) {
                return Presets.scheme(name, tolerance, optional(f, "header", path), optional(f, "prefix", path));
            }
            String header = required(f, f.get("scheme"), path, "header");
            if (header == null) {
                return null;
            }
            return new Scheme.Hmac(header, optional(f, "prefix", path),
                    parse(f, "encoding", path, Scheme.Encoding::parse, Scheme.Encoding.HEX),
                    parse(f, "algorithm", path, Scheme.Algorithm::parse, Scheme.Algorithm.SHA256),
                    parse(f, "signed", path, SignedContent::parse, SignedContent.parse("{body}")),
                    optional(f, "separator", path), optional(f, "timestamp-header", path),
                    optional(f, "timestamp-element", path), optional(f, "id-header", path), tolerance,
                    parse(f, "key-encoding", path, Scheme.Encoding::parse, null));
        } catch (Refused e) {
            return null;
        } catch (IllegalArgumentException e) {
            problem(f.get("scheme"), path + ".scheme: '" + name + "' " + e.getMessage());
            return null;
        }
    }

    /** A field whose problem is already recorded. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    private String optional(Map<String, Node> f, String key, String path) {
        return f.containsKey(key) ? scalar(f.get(key), path + "." + key) : null;
    }

    /** A field read with {@code parser}; {@link Refused} (its problem recorded) when it does not parse. */
    private <T> T parse(Map<String, Node> f, String key, String path, java.util.function.Function<String, T> parser,
                        T otherwise) {
        if (!f.containsKey(key)) {
            return otherwise;
        }
        T value = read(f.get(key), path + "." + key, parser);
        if (value == null) {
            throw new Refused();
        }
        return value;
    }

    private Duration duration(Node node, String path) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = Pattern.compile("(\\d{1,6})\\s*(s|m|min)").matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return "s".equals(m.group(2)) ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
        }
        problem(node, path + ": '" + text + "' must look like 300s or 5m");
        return null;
    }

    private List<SourceSecret> secrets(String path, Node node, Node owner, Scheme scheme) {
        if (node == null) {
            problem(owner, path.substring(0, path.lastIndexOf('.')) + ": 'secrets' is missing");
            return null;
        }
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty() || list.getValue().size() > 2) {
            problem(node, path + ": expected a list of one or two secrets ({ id, value, expires }), two while rotating");
            return null;
        }
        List<SourceSecret> out = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String at = path + "[" + i + "]";
            Map<String, Node> f = fields(item, at, Set.of("id", "value", "expires"));
            String id = required(f, item, at, "id");
            byte[] value = reference(at + ".value", f, item);
            Instant expires = f.containsKey("expires") ? instant(f.get("expires"), at + ".expires") : null;
            if (id != null && !ids.add(id)) {
                problem(f.get("id"), at + ".id: '" + id + "' is used by another secret of this data source");
            }
            if (id == null || value == null) {
                continue;
            }
            SourceSecret secret = new SourceSecret(id, value, expires);
            if (scheme instanceof Scheme.Hmac hmac) {
                try {
                    SignatureVerifier.key(hmac, secret);
                } catch (IllegalArgumentException e) {
                    problem(f.get("value"), at + ".value: " + e.getMessage());
                    continue;
                }
            }
            out.add(secret);
        }
        return out.size() == list.getValue().size() ? out : null;
    }

    /** The bytes a {@code ${env:NAME}} or {@code ${file:/path}} reference names; an inline value is refused unread. */
    private byte[] reference(String path, Map<String, Node> f, Node owner) {
        String text = required(f, owner, path.substring(0, path.lastIndexOf('.')), "value");
        if (text == null) {
            return null;
        }
        Node at = f.get("value");
        java.util.regex.Matcher env = ENV_REFERENCE.matcher(text.trim());
        java.util.regex.Matcher fileRef = FILE_REFERENCE.matcher(text.trim());
        String value;
        if (env.matches()) {
            value = references.env(env.group(1));
            if (value == null || value.isEmpty()) {
                problem(at, path + ": environment variable " + env.group(1) + " is not set");
                return null;
            }
        } else if (fileRef.matches()) {
            try {
                value = references.file(Path.of(fileRef.group(1)));
            } catch (IOException | java.nio.file.InvalidPathException e) {
                problem(at, path + ": file " + fileRef.group(1) + " does not exist or cannot be read");
                return null;
            }
            value = value.replaceAll("[\\r\\n]+$", "");
            if (value.isEmpty()) {
                problem(at, path + ": file " + fileRef.group(1) + " is empty");
                return null;
            }
        } else {
            problem(at, path + ": a secret must be a reference, ${env:NAME} or ${file:/path}, never the value itself");
            return null;
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private Instant instant(Node node, String path) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            problem(node, path + ": '" + text + "' is not an RFC 3339 instant like 2026-12-31T00:00:00Z");
            return null;
        }
    }

    /** A digest of everything that should invalidate an account's tokens when it changes. */
    private static String credentialState(String tenant, String user, StoredSecret password, boolean enabled) {
        byte[] d = StoredSecret.sha256(tenant + "\n" + user + "\n" + password.stored() + "\n" + enabled);
        return java.util.HexFormat.of().formatHex(d);
    }

    private StoredSecret secret(Map<String, Node> f, Node owner, String path, String key) {
        String value = required(f, owner, path, key);
        if (value == null) {
            return null;
        }
        try {
            return StoredSecret.parse(value);
        } catch (IllegalArgumentException e) {
            problem(f.get(key), path + "." + key + ": " + e.getMessage());
            return null;
        }
    }

    private String required(Map<String, Node> f, Node owner, String path, String key) {
        Node n = f.get(key);
        if (n == null) {
            problem(owner, path + ": '" + key + "' is missing");
            return null;
        }
        String value = scalar(n, path + "." + key);
        if (value != null && value.isBlank()) {
            problem(n, path + "." + key + ": is empty");
            return null;
        }
        return value;
    }

    /** The keys of a mapping, each checked against {@code allowed}; an unknown or repeated key is a problem. */
    private Map<String, Node> fields(Node node, String path, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        MappingNode m = mapping(node, path);
        if (m == null) {
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            if (!allowed.contains(key)) {
                problem(t.getKeyNode(), path + ": unknown key '" + key + "' (expected: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            } else if (out.putIfAbsent(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), path + ": '" + key + "' is given twice");
            }
        }
        return out;
    }

    /** One entry of a mapping of named things: its name, key node and value node. */
    private interface Entry {
        void accept(String name, Node key, Node value);
    }

    /** Calls {@code each} for every entry of a mapping of named things (tenants, apps, ...). */
    private void entries(Node node, String path, Entry each) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            if (!seen.add(key)) {
                problem(t.getKeyNode(), path + ": '" + key + "' is defined twice");
                continue;
            }
            each.accept(key, t.getKeyNode(), t.getValueNode());
        }
    }

    private MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            return m;
        }
        if (node instanceof ScalarNode s && s.getValue().isEmpty()) {
            return new MappingNode(node.getTag(), List.of(), null);
        }
        problem(node, path + ": expected a mapping of keys to values");
        return null;
    }

    private String key(NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode s && !s.getValue().isBlank()) {
            return s.getValue();
        }
        problem(t.getKeyNode(), "expected a plain name as key");
        return null;
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(node, path + ": expected a single value, not a list or mapping");
        return null;
    }

    private void problem(Node at, String message) {
        problems.add(where(line(at)) + message);
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private String where(int line) {
        return line > 0 ? file + " line " + line + ": " : file + ": ";
    }

}
