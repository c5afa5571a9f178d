package dev.switchboard.jobs;

/** A malformed setting of background work (job runner, health checks): startup stops with one line, no stack trace. */
public class JobSettingsException extends RuntimeException {

    public JobSettingsException(String message) {
        super(message, null, false, false);
    }
}
