package io.ingesthub;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a {@link StartupRefusal} as Spring Boot's "APPLICATION FAILED TO START" report: the problem and the fix. */
public class StartupRefusalAnalyzer extends AbstractFailureAnalyzer<StartupRefusal> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupRefusal cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
