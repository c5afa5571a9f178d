package dev.switchboard.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad security setting into Spring Boot's short report, without a stack trace. */
public class SecuritySettingsFailureAnalyzer extends AbstractFailureAnalyzer<SecuritySettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecuritySettingsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the JWT_*, ADMIN_* or SWITCHBOARD_* security settings (see docs/security.md) and start again.",
                null);
    }
}
