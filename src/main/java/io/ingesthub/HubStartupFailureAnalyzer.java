package io.ingesthub;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a {@link HubStartupException} as Spring Boot's "APPLICATION FAILED TO START" description and action. */
public class HubStartupFailureAnalyzer extends AbstractFailureAnalyzer<HubStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HubStartupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
