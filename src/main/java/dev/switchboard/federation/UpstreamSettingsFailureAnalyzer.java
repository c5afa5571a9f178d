package dev.switchboard.federation;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad upstream setting into Spring Boot's short report, without a stack trace. */
public class UpstreamSettingsFailureAnalyzer extends AbstractFailureAnalyzer<UpstreamSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UpstreamSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the SWITCHBOARD_UPSTREAM_* setting (see README.md) and"
                + " start again.", null);
    }
}
