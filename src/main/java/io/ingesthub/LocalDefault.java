package io.ingesthub;

import org.springframework.core.env.Environment;

/**
 * Whether the hub runs as the local default: no Spring profile active, the one place that decides it. Only there does
 * it generate its token secret and fall back to the local token audience, and only there does the registry take
 * {@code {noop}} secrets without a warning. (The in-process broker has its own switch,
 * {@code hub.kafka.embedded.allowed}, and demo secrets are refused by {@code hub.refuse-unsafe-secrets}: the prod
 * profile sets both.)
 */
public final class LocalDefault {

    private LocalDefault() {}

    public static boolean active(Environment environment) {
        return environment.getActiveProfiles().length == 0;
    }
}
