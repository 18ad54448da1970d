package io.ingesthub.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator login ({@code hub.admin.*}) guarding Hawtio, Jolokia, the other actuator endpoints and {@code /admin/**}
 * when {@code login-required} is on (the {@code prod} profile). The password is plain text from the environment
 * ({@code HUB_ADMIN_PASSWORD}) or a Spring Security encoded value such as {@code {bcrypt}$2y$10$...}.
 */
@ConfigurationProperties("hub.admin")
public record AdminProperties(
        @DefaultValue("false") boolean loginRequired,
        String username,
        String password,
        @DefaultValue("false") boolean publicPrometheus) {}
