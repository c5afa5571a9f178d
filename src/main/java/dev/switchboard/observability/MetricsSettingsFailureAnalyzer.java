package dev.switchboard.observability;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad metrics setting into Spring Boot's short report, without a stack trace. */
public class MetricsSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MetricsSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MetricsSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the SWITCHBOARD_METRICS_* setting (see"
                + " docs/observability.md) and start again.", null);
    }
}
