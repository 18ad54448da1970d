package io.ingesthub;

/**
 * Stops the hub at start-up because its configuration cannot work, saying what is wrong and what to set; reported by
 * {@link StartupRefusalAnalyzer} without a stack trace.
 */
public class StartupRefusal extends RuntimeException {

    private final String action;

    public StartupRefusal(String description, String action) {
        super(description, null, false, false);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
