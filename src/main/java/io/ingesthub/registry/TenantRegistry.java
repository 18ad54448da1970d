package io.ingesthub.registry;

import io.ingesthub.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Serves the current {@link Registry} from {@code hub.registry.file}, re-read when its content changes; a file that does not load keeps the previous registry in service (and stops the hub only at start-up).
 */
@Component
public class TenantRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);

    private final Path file;
    private final boolean warnPlainText;
    private boolean polling;
    private volatile Registry current;
    private volatile String lastError;
    private byte[] loadedDigest;
    private byte[] seenDigest;

    @Autowired
    public TenantRegistry(RegistryProperties properties, Environment environment) {
        this(properties.file(), environment.getActiveProfiles().length > 0);
        this.polling = !properties.pollInterval().isZero() && !properties.pollInterval().isNegative();
    }

    /**
     * Loads {@code file} now; {@code warnPlainText} logs a warning for every {@code {noop}} secret (on outside the
     * local default).
     *
     * @throws RegistryException when the file cannot be read or is invalid
     */
    public TenantRegistry(Path file, boolean warnPlainText) {
        this.file = file;
        this.warnPlainText = warnPlainText;
        byte[] bytes = read();
        if (bytes == null) {
            throw new RegistryException(file.toString(), List.of(file + ": the registry file does not exist "
                    + "(set hub.registry.file or HUB_REGISTRY_FILE to its path)"));
        }
        install(RegistryParser.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8)), bytes);
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
            install(RegistryParser.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8)), bytes);
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
