package io.ingesthub.registry;

import io.ingesthub.HubStartupException;
import java.util.List;

/** A registry file the hub refuses, with every problem found in it (file, line, what is wrong; never a secret). */
public class RegistryException extends HubStartupException {

    private final List<String> problems;

    public RegistryException(String file, List<String> problems) {
        super("Registry " + file + " is invalid:\n  - " + String.join("\n  - ", problems),
                "Fix the registry (docs/authentication.md describes its format) or point hub.registry.file "
                        + "(HUB_REGISTRY_FILE) at a valid one.");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
