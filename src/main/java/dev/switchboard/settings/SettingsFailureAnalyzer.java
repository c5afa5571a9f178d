package dev.switchboard.settings;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Turns any invalid setting into Spring Boot's short report: one line naming the variable, no stack trace. It runs
 * before Boot's own binding analyzer, which would name the property instead of the variable operators set.
 */
public class SettingsFailureAnalyzer implements FailureAnalyzer, Ordered {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException invalid) {
                return new FailureAnalysis(invalid.getMessage(), invalid.action(), null);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind && SettingsBinding.ours(bind.getName())) {
                InvalidSettingException invalid = SettingsBinding.invalid(bind);
                return new FailureAnalysis(invalid.getMessage(), invalid.action(), null);
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
