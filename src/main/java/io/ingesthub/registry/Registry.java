package io.ingesthub.registry;

import io.ingesthub.sources.DeliveryIdSource;
import io.ingesthub.sources.SourceVerification;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of the tenant registry, with the lookups of the request path prepared at load time:
 * tenants by name and apps by the SHA-256 digest of their app token.
 */
public final class Registry {

    private final Map<String, Tenant> tenants;
    private final Map<ByteBuffer, App> appsByTokenDigest;
    private final List<String> warnings;

    Registry(Map<String, Tenant> tenants, Map<ByteBuffer, App> appsByTokenDigest, List<String> warnings) {
        this.tenants = Map.copyOf(tenants);
        this.appsByTokenDigest = Map.copyOf(appsByTokenDigest);
        this.warnings = List.copyOf(warnings);
    }

    /** The tenant named {@code name}, or {@code null}. */
    public Tenant tenant(String name) {
        return name == null ? null : tenants.get(name);
    }

    public Map<String, Tenant> tenants() {
        return tenants;
    }

    /**
     * The app whose token is {@code presented}, or {@code null}: one SHA-256 and one hash-map lookup of the digest,
     * so the time taken says nothing about how much of a token was right.
     */
    public App appByToken(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        return appsByTokenDigest.get(ByteBuffer.wrap(StoredSecret.sha256(presented)));
    }

    /**
     * The tenant a request is for: the first DNS label of its {@code Host} header when that names a tenant
     * ({@code acme.api.example.com} → {@code acme}), otherwise {@code defaultTenant}.
     */
    public String tenantForHost(String host, String defaultTenant) {
        if (host != null) {
            int end = 0;
            while (end < host.length() && host.charAt(end) != '.' && host.charAt(end) != ':') {
                end++;
            }
            if (end > 0) {
                String label = host.substring(0, end).toLowerCase(java.util.Locale.ROOT);
                if (tenants.containsKey(label)) {
                    return label;
                }
            }
        }
        return defaultTenant;
    }

    /** Remarks that do not stop the registry from loading, e.g. secrets stored as plain text. */
    public List<String> warnings() {
        return warnings;
    }

    /** A tenant: its data sources, apps and service accounts. */
    public record Tenant(String name, Map<String, DataSource> dataSources, Map<String, App> apps,
                         Map<String, ServiceAccount> serviceAccounts) {

        public ServiceAccount serviceAccount(String username) {
            return username == null ? null : serviceAccounts.get(username);
        }

        /** The data source named {@code name} (as in {@code /sources/{data-source}}), or {@code null}. */
        public DataSource dataSource(String name) {
            return name == null ? null : dataSources.get(name);
        }
    }

    /**
     * A data source: the mapping set (a folder under {@code mappings/}) its records are mapped with and, for a sender
     * that posts its own deliveries, the source route ({@code routes/sources/<source>.camel.yaml}), how its
     * deliveries are verified, where their ids are ({@code null}: no duplicate guard) and whether they are archived
     * for replay. The last four are {@code null}/{@code false} for a data source of the eight endpoints only.
     */
    public record DataSource(String name, String mappings, String source, SourceVerification verify,
                             DeliveryIdSource deliveryId, boolean archive) {

        public DataSource(String name, String mappings) {
            this(name, mappings, null, null, null, false);
        }
    }

    /**
     * An app: identified by its app token, writing to its data source, optionally rate-limited, and holding a
     * {@code client-secret} ({@code null} when it has none) for the client_credentials grant.
     */
    public record App(String tenant, String name, DataSource dataSource, RateLimit rateLimit, StoredSecret clientSecret) {

        public App(String tenant, String name, DataSource dataSource, RateLimit rateLimit) {
            this(tenant, name, dataSource, rateLimit, null);
        }

        /** {@code tenant/name}, unique across the registry. */
        public String key() {
            return tenant + "/" + name;
        }
    }

    /**
     * A service account that signs in at the token endpoint. {@code credentialState} changes whenever its password
     * or enabled flag changes; tokens carry a keyed fingerprint of it, so such a change invalidates them.
     */
    public record ServiceAccount(String tenant, String username, StoredSecret password, boolean enabled,
                                 String credentialState) {

        @Override
        public String toString() {
            return "ServiceAccount[" + tenant + "/" + username + ", enabled=" + enabled + "]";
        }
    }
}
