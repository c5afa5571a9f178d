package dev.switchboard.mcp;

import java.util.List;
import java.util.stream.Stream;

/** The MCP revisions this gateway speaks, session-based and stateless, and what differs between them. */
final class ProtocolVersions {

    /** The session-based revisions: a client picks one in {@code initialize}, which never offers a later era. */
    static final List<String> SUPPORTED = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
    static final String LATEST = SUPPORTED.getLast();
    /** The stateless revisions: no initialize, every request names its revision in {@code _meta} and a header. */
    static final List<String> STATELESS = List.of("2026-07-28");
    /** Every revision, newest first, as server/discover and UnsupportedProtocolVersion list them. */
    static final List<String> ALL = Stream.concat(STATELESS.stream(), SUPPORTED.stream())
            .sorted((a, b) -> b.compareTo(a)).toList();
    /** The spec's assumption for a request that names no version and is not tied to a session. */
    static final String ASSUMED_WITHOUT_HEADER = "2025-03-26";

    private ProtocolVersions() {
    }

    /** Whether {@code version} is a session-based revision we speak; only these may be negotiated by initialize. */
    static boolean isSupported(String version) {
        return version != null && SUPPORTED.contains(version);
    }

    static boolean isStateless(String version) {
        return version != null && STATELESS.contains(version);
    }

    /** The client's version when we speak it, otherwise our latest: the client then decides whether to go on. */
    static String negotiate(String requested) {
        return isSupported(requested) ? requested : LATEST;
    }

    /** Batches exist only in 2025-03-26: added there, removed again in 2025-06-18. */
    static boolean allowsBatches(String version) {
        return "2025-03-26".equals(version);
    }

    /**
     * Whether {@code method} exists in {@code version}. 2026-07-28 removed the handshake, ping, logging/setLevel
     * and resources/subscribe and unsubscribe (subscriptions/listen replaces them), and added server/discover and
     * subscriptions/listen, which the session era lacks.
     */
    static boolean defines(String version, String method) {
        boolean statelessOnly = method.equals("server/discover") || method.equals("subscriptions/listen");
        boolean sessionOnly = switch (method) {
            case "initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe" -> true;
            default -> false;
        };
        return isStateless(version) ? !sessionOnly : !statelessOnly;
    }

    /** Whether {@code version} is {@code since} or later; revision names are dates, so they sort as text. */
    static boolean atLeast(String version, String since) {
        return version.compareTo(since) >= 0;
    }
}
