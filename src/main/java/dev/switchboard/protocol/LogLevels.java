package dev.switchboard.protocol;

import java.util.List;

/** The syslog severities MCP uses for log messages, least severe first, and which of them a client wants. */
public final class LogLevels {

    public static final List<String> ORDER = List.of("debug", "info", "notice", "warning", "error", "critical", "alert",
            "emergency");

    private LogLevels() {
    }

    /** Whether a message at {@code level} is at least as severe as the client's {@code threshold}. */
    public static boolean reaches(String level, String threshold) {
        int at = ORDER.indexOf(level);
        // A level the spec does not name is passed on: hiding it would lose what the upstream meant to say.
        return at < 0 || at >= Math.max(0, ORDER.indexOf(threshold));
    }
}
