package dev.switchboard.jobs;

/** A malformed setting of background work (the job runner, health checks): startup stops with this one-line message instead of a stack trace. */
public class JobSettingsException extends RuntimeException {

    public JobSettingsException(String message) {
        super(message, null, false, false);
    }
}
