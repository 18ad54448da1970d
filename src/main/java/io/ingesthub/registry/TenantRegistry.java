package io.ingesthub.registry;

import io.ingesthub.LocalDefault;
import io.ingesthub.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.ingesthub.HubStartupException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Serves the current {@link Registry} from {@code hub.registry.file}, re-read when its content changes; a file that does not load keeps the previous registry in service (and stops the hub only at start-up).
 * Where {@code hub.refuse-unsafe-secrets} is on (the prod profile), a registry with a {@code {noop}} secret or the
 * demo credentials does not load either.
 */
@Component
public class TenantRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);
    /** The credentials of the shipped demo registry: public, so never accepted where unsafe secrets are refused. */
    static final String DEMO_APP_TOKEN = "demo-app-token";
    static final String DEMO_PASSWORD = "demo-password";

    private final Path file;
    private final boolean warnPlainText;
    private final boolean refuseUnsafe;
    private boolean polling;
    private volatile Registry current;
    private volatile String lastError;
    private byte[] loadedDigest;
    private byte[] seenDigest;

    @Autowired
    public TenantRegistry(RegistryProperties properties, Environment environment) {
        this(properties.file(), !LocalDefault.active(environment),
                environment.getProperty("hub.refuse-unsafe-secrets", Boolean.class, false));
        this.polling = !properties.pollInterval().isZero() && !properties.pollInterval().isNegative();
    }

    /**
     * Loads {@code file} now; {@code warnPlainText} logs a warning for every {@code {noop}} secret (on outside the
     * local default).
     *
     * @throws RegistryException when the file cannot be read or is invalid
     */
    public TenantRegistry(Path file, boolean warnPlainText) {
        this(file, warnPlainText, false);
    }

    /**
     * As {@link #TenantRegistry(Path, boolean)}; {@code refuseUnsafe} refuses a registry holding a {@code {noop}}
     * secret or the demo credentials, at start with a {@link HubStartupException} naming each, on reload by keeping
     * the previous registry.
     */
    public TenantRegistry(Path file, boolean warnPlainText, boolean refuseUnsafe) {
        this.file = file;
        this.warnPlainText = warnPlainText;
        this.refuseUnsafe = refuseUnsafe;
        byte[] bytes = read();
        if (bytes == null) {
            throw new RegistryException(file.toString(), List.of(file + ": the registry file does not exist "
                    + "(set hub.registry.file or HUB_REGISTRY_FILE to its path)"));
        }
        Registry registry = RegistryParser.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
        List<String> unsafe = unsafeSecrets(registry);
        if (!unsafe.isEmpty()) {
            throw new HubStartupException("The registry " + file + " holds secrets that anyone can read or guess, "
                    + "which hub.refuse-unsafe-secrets (on in the prod profile) refuses:\n  "
                    + String.join("\n  ", unsafe), UNSAFE_ACTION);
        }
        install(registry, bytes);
    }

    private static final String UNSAFE_ACTION = "Store app tokens as {sha256}<hex> (printf %s 'token' | sha256sum), "
            + "passwords and client secrets as {bcrypt}<hash> (htpasswd -nbBC 10 \"\" 'secret' | tr -d ':\\n'), and "
            + "replace the demo credentials with new random ones; docs/authentication.md shows how.";

    /** What makes {@code registry} unsafe where unsafe secrets are refused: each {@code {noop}} secret, the demo ones. */
    private List<String> unsafeSecrets(Registry registry) {
        if (!refuseUnsafe) {
            return List.of();
        }
        List<String> unsafe = new ArrayList<>();
        registry.warnings().stream().filter(w -> w.contains("{noop}")).forEach(unsafe::add);
        Registry.App demoApp = registry.appByToken(DEMO_APP_TOKEN);
        if (demoApp != null) {
            unsafe.add("tenants." + demoApp.tenant() + ".apps." + demoApp.name() + ".app-token is the demo app token '"
                    + DEMO_APP_TOKEN + "' (public, in the project's own files)");
        }
        for (Registry.Tenant t : registry.tenants().values()) {
            for (Registry.ServiceAccount a : t.serviceAccounts().values()) {
                if (a.password().matches(DEMO_PASSWORD)) {
                    unsafe.add("tenants." + t.name() + ".service-accounts." + a.username() + ".password is the demo "
                            + "password '" + DEMO_PASSWORD + "' (public, in the project's own files)");
                }
            }
        }
        return unsafe;
    }

    /** The registry in service. */
    public Registry current() {
        return current;
    }

    /** Why the last reload was refused, if it was. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Re-reads the file now. Returns true when a changed, valid registry went into service; false when the file is
     * unchanged, or missing or invalid (then the previous registry stays and the reason is logged and kept in
     * {@link #lastError()}).
     */
    public synchronized boolean reload() {
        try {
            byte[] bytes = read();
            if (bytes == null) {
                refuse(file + ": the registry file disappeared; keeping the registry in service");
                return false;
            }
            if (MessageDigest.isEqual(Sha256.of(bytes), loadedDigest)) {
                return false;
            }
            Registry registry = RegistryParser.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
            List<String> unsafe = unsafeSecrets(registry);
            if (!unsafe.isEmpty()) {
                refuse(file + ": refused, as hub.refuse-unsafe-secrets is on: " + String.join("; ", unsafe)
                        + "\nKeeping the previous registry in service.");
                return false;
            }
            install(registry, bytes);
            return true;
        } catch (RegistryException e) {
            refuse(e.getMessage() + "\nKeeping the previous registry in service.");
            return false;
        }
    }

    private void install(Registry registry, byte[] bytes) {
        current = registry;
        loadedDigest = Sha256.of(bytes);
        lastError = null;
        int apps = 0;
        int accounts = 0;
        for (Registry.Tenant t : registry.tenants().values()) {
            apps += t.apps().size();
            accounts += t.serviceAccounts().size();
        }
        LOG.info("Registry {} loaded: {} tenant(s) {}, {} app(s), {} service account(s)", file,
                registry.tenants().size(), registry.tenants().keySet(), apps, accounts);
        if (warnPlainText) {
            registry.warnings().forEach(w -> LOG.warn("{}", w));
        }
    }

    private void refuse(String reason) {
        lastError = reason;
        LOG.error("{}", reason);
    }

    /** Checks the file for a change, as the {@code registry-poll} route does every {@code hub.registry.poll-interval}. */
    public void poll() {
        if (!polling) {
            return;
        }
        try {
            // Compared by content, so an edit that keeps the size within one timestamp tick is seen; a content seen
            // before (loaded or refused) is not parsed or reported again.
            byte[] digest = Sha256.of(Files.readAllBytes(file));
            if (!MessageDigest.isEqual(digest, seenDigest)) {
                seenDigest = digest;
                reload();
            }
        } catch (NoSuchFileException e) {
            if (seenDigest != null) {
                seenDigest = null;
                refuse(file + ": the registry file disappeared; keeping the registry in service");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not check registry {} for changes: {}", file, e.toString());
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new RegistryException(file.toString(), List.of(file + ": cannot be read: " + e.getMessage()));
        }
    }

}
