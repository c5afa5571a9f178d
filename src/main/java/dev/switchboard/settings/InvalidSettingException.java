package dev.switchboard.settings;

/**
 * A setting the operator gave cannot be used. The message is one line that names the variable and never holds a
 * secret; startup stops with it (see {@link SettingsFailureAnalyzer}), and a command-line tool prints it.
 */
public class InvalidSettingException extends RuntimeException {

    private static final String FIX = "Fix the setting named above (see the configuration table in README.md) and"
            + " start again.";

    private final String action;

    /** A bad value; the start-up report adds the usual advice to fix it. */
    public InvalidSettingException(String message) {
        this(message, FIX);
    }

    /** A bad value with its own advice, or none ({@code null}) when the message already says what to do. */
    public InvalidSettingException(String message, String action) {
        // No stack trace: the message is the whole story, and a trace would only bury it.
        super(message, null, false, false);
        this.action = action;
    }

    /** What the operator should do, or null when the message says it. */
    public String action() {
        return action;
    }
}
