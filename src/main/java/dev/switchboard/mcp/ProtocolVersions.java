package dev.switchboard.mcp;

import java.util.List;

/** The session-based MCP revisions this gateway speaks, and what differs between them. */
final class ProtocolVersions {

    static final List<String> SUPPORTED = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
    static final String LATEST = SUPPORTED.getLast();
    /** The spec's assumption for a request that names no version and is not tied to a session. */
    static final String ASSUMED_WITHOUT_HEADER = "2025-03-26";

    private ProtocolVersions() {
    }

    static boolean isSupported(String version) {
        return version != null && SUPPORTED.contains(version);
    }

    /** The client's version when we speak it, otherwise our latest: the client then decides whether to go on. */
    static String negotiate(String requested) {
        return isSupported(requested) ? requested : LATEST;
    }

    /** Batches exist only in 2025-03-26: added there, removed again in 2025-06-18. */
    static boolean allowsBatches(String version) {
        return "2025-03-26".equals(version);
    }

    /** Whether {@code version} is {@code since} or later; revision names are dates, so they sort as text. */
    static boolean atLeast(String version, String since) {
        return version.compareTo(since) >= 0;
    }
}
