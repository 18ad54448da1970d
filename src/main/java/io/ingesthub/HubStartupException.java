package io.ingesthub;

/** A configuration the hub refuses to start with: what is wrong and what to do, printed without a stack trace. */
public class HubStartupException extends RuntimeException {

    private final String action;

    public HubStartupException(String description, String action) {
        super(description, null, false, false);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
