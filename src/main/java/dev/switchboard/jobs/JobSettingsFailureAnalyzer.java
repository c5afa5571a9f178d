package dev.switchboard.jobs;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad setting of background work into Spring Boot's short report, without a stack trace. */
public class JobSettingsFailureAnalyzer extends AbstractFailureAnalyzer<JobSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JobSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the setting named above (see the settings table in"
                + " README.md) and start again.", null);
    }
}
