package io.ingesthub.registry;

import java.io.StringReader;
import java.nio.ByteBuffer;
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

/**
 * Reads the registry YAML into a {@link Registry}, checking every key and reference and reporting each problem with
 * its file and line. Secret values are never quoted in a problem or warning.
 */
final class RegistryParser {

    private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]*");

    private final String file;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private RegistryParser(String file) {
        this.file = file;
    }

    /**
     * Parses {@code text} read from {@code file} (the file name only labels messages).
     *
     * @throws RegistryException listing every problem found
     */
    static Registry parse(String file, String text) {
        return new RegistryParser(file).read(text);
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
        Map<String, Registry.Tenant> tenants = new LinkedHashMap<>();
        Map<ByteBuffer, Registry.App> appsByToken = new HashMap<>();
        Map<ByteBuffer, String> tokenOwners = new HashMap<>();
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
                entries(tenantsNode, "tenants", (name, key, node) ->
                        tenant(name, key, node, tenants, appsByToken, tokenOwners));
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

    private void tenant(String name, Node key, Node node, Map<String, Registry.Tenant> tenants,
                        Map<ByteBuffer, Registry.App> appsByToken, Map<ByteBuffer, String> tokenOwners) {
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
            entries(fields.get("data-sources"), path + ".data-sources", (ds, dsKey, dsNode) -> {
                String dsPath = path + ".data-sources." + ds;
                Map<String, Node> f = fields(dsNode, dsPath, Set.of("mappings"));
                String mappings = required(f, dsNode, dsPath, "mappings");
                if (mappings != null && (!SIMPLE_NAME.matcher(mappings).matches() || mappings.contains(".."))) {
                    problem(f.get("mappings"), dsPath + ".mappings: '" + mappings
                            + "' is not a folder name under mappings/ (letters, digits, '.', '_', '-')");
                }
                dataSources.put(ds, new Registry.DataSource(ds, mappings));
            });
        }
        if (fields.containsKey("apps")) {
            entries(fields.get("apps"), path + ".apps", (appName, appKey, appNode) -> {
                String appPath = path + ".apps." + appName;
                Map<String, Node> f = fields(appNode, appPath, Set.of("app-token", "data-source", "rate-limit"));
                StoredSecret token = secret(f, appNode, appPath, "app-token");
                if (token != null && token.scheme() == StoredSecret.Scheme.BCRYPT) {
                    problem(f.get("app-token"), appPath + ".app-token: {bcrypt} is not supported for app tokens, "
                            + "which are looked up by digest; use {sha256} (printf %s 'token' | sha256sum)");
                    token = null;
                }
                String dsName = required(f, appNode, appPath, "data-source");
                Registry.DataSource ds = dsName == null ? null : dataSources.get(dsName);
                if (dsName != null && ds == null) {
                    problem(f.get("data-source"), appPath + ".data-source: '" + dsName + "' is not a data source of tenant '"
                            + name + "' (defined: " + String.join(", ", dataSources.keySet()) + ")");
                }
                RateLimit rateLimit = null;
                if (f.containsKey("rate-limit")) {
                    String text = scalar(f.get("rate-limit"), appPath + ".rate-limit");
                    if (text != null) {
                        try {
                            rateLimit = RateLimit.parse(text);
                        } catch (IllegalArgumentException e) {
                            problem(f.get("rate-limit"), appPath + ".rate-limit: '" + text + "' " + e.getMessage());
                        }
                    }
                }
                Registry.App app = new Registry.App(name, appName, ds, rateLimit);
                apps.put(appName, app);
                if (token != null) {
                    ByteBuffer digest = ByteBuffer.wrap(token.digest());
                    String owner = tokenOwners.putIfAbsent(digest, appPath);
                    if (owner != null) {
                        problem(f.get("app-token"), appPath + ".app-token: the same app token is already used by "
                                + owner + "; every app needs its own token");
                    } else {
                        appsByToken.put(digest, app);
                    }
                    if (token.plainText()) {
                        warnings.add(where(line(f.get("app-token"))) + appPath
                                + ".app-token is stored as {noop} plain text; store {sha256}<hex> instead");
                    }
                }
            });
        }
        if (fields.containsKey("service-accounts")) {
            entries(fields.get("service-accounts"), path + ".service-accounts", (user, saKey, saNode) -> {
                String saPath = path + ".service-accounts." + user;
                Map<String, Node> f = fields(saNode, saPath, Set.of("password", "enabled"));
                StoredSecret password = secret(f, saNode, saPath, "password");
                boolean enabled = true;
                if (f.containsKey("enabled")) {
                    String flag = scalar(f.get("enabled"), saPath + ".enabled");
                    if ("true".equalsIgnoreCase(flag) || "false".equalsIgnoreCase(flag)) {
                        enabled = Boolean.parseBoolean(flag.toLowerCase(Locale.ROOT));
                    } else if (flag != null) {
                        problem(f.get("enabled"), saPath + ".enabled: '" + flag + "' is not true or false");
                    }
                }
                if (password != null) {
                    accounts.put(user, new Registry.ServiceAccount(name, user, password, enabled,
                            credentialState(name, user, password, enabled)));
                    if (password.plainText()) {
                        warnings.add(where(line(f.get("password"))) + saPath
                                + ".password is stored as {noop} plain text; store {bcrypt}<hash> instead");
                    }
                }
            });
        }
        tenants.put(name, new Registry.Tenant(name, dataSources, apps, accounts));
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
