package dev.switchboard.observability;

/** A malformed SWITCHBOARD_METRICS_* setting: startup stops with this one-line message instead of a stack trace. */
public class MetricsSettingsException extends RuntimeException {

    public MetricsSettingsException(String message) {
        super(message, null, false, false);
    }
}
