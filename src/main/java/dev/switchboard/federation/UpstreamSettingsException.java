package dev.switchboard.federation;

/** A malformed upstream setting: startup stops with this one-line message instead of a stack trace. */
public class UpstreamSettingsException extends RuntimeException {

    public UpstreamSettingsException(String message) {
        super(message, null, false, false);
    }
}
