package dev.switchboard.protocol;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The MCP revisions Switchboard speaks, oldest first, and what differs between them. This is the only place that
 * names a revision: a new one is a new constant here, in date order, and its answers to the feature checks below.
 */
public enum Revision {

    V2024_11_05("2024-11-05", false),
    V2025_03_26("2025-03-26", false),
    V2025_06_18("2025-06-18", false),
    V2025_11_25("2025-11-25", false),
    V2026_07_28("2026-07-28", true);

    /** The session revisions, oldest first: a client picks one in initialize, which never offers a later era. */
    public static final List<Revision> SESSION = Stream.of(values()).filter(r -> !r.stateless).toList();
    /** The stateless revisions, oldest first: no initialize; every request names its revision in _meta and a header. */
    public static final List<Revision> STATELESS = Stream.of(values()).filter(r -> r.stateless).toList();
    /** What initialize offers an upstream, and what a client gets that asks for a revision we do not speak. */
    public static final Revision LATEST_SESSION = SESSION.getLast();
    /** What Switchboard speaks to a stateless upstream. */
    public static final Revision LATEST_STATELESS = STATELESS.getLast();
    /** The spec's assumption for a request that names no version and is not tied to a session. */
    public static final Revision ASSUMED_WITHOUT_HEADER = V2025_03_26;

    /** Every revision, newest first, as server/discover and UnsupportedProtocolVersion list them. */
    private static final List<String> NEWEST_FIRST = Stream.of(values()).map(Revision::wire).toList().reversed();
    /** Methods that 2026-07-28 removed: the handshake, ping, logging/setLevel and resource subscriptions. */
    private static final Set<String> SESSION_ONLY = Set.of(MethodNames.INITIALIZE, MethodNames.PING,
            MethodNames.LOGGING_SET_LEVEL, MethodNames.RESOURCES_SUBSCRIBE, MethodNames.RESOURCES_UNSUBSCRIBE);
    /** Methods that 2026-07-28 added (subscriptions/listen replaces resource subscriptions). */
    private static final Set<String> STATELESS_ONLY = Set.of(MethodNames.SERVER_DISCOVER,
            MethodNames.SUBSCRIPTIONS_LISTEN);

    private final String wire;
    private final boolean stateless;

    Revision(String wire, boolean stateless) {
        this.wire = wire;
        this.stateless = stateless;
    }

    /** The revision as the wire names it, in initialize, MCP-Protocol-Version and {@code _meta}. */
    public String wire() {
        return wire;
    }

    /** The revision {@code wire} names, if Switchboard speaks it. */
    public static Optional<Revision> parse(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (Revision revision : values()) {
            if (revision.wire.equals(wire)) {
                return Optional.of(revision);
            }
        }
        return Optional.empty();
    }

    /**
     * The revision {@code wire} names, where the caller already knows it is one we speak (a session's negotiated
     * revision, a checked stateless request's).
     *
     * @throws IllegalArgumentException when it is not
     */
    public static Revision of(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("Not an MCP revision Switchboard speaks: "
                + wire));
    }

    /** Whether {@code wire} is a session revision we speak; only these may be negotiated by initialize. */
    public static boolean isSessionRevision(String wire) {
        return parse(wire).filter(r -> !r.stateless).isPresent();
    }

    /** Whether {@code wire} is a stateless revision we speak. */
    public static boolean isStatelessRevision(String wire) {
        return parse(wire).filter(r -> r.stateless).isPresent();
    }

    /** The client's version when we speak it, otherwise our latest: the client then decides whether to go on. */
    public static String negotiate(String requested) {
        return isSessionRevision(requested) ? requested : LATEST_SESSION.wire;
    }

    /** Every revision we speak, newest first. */
    public static List<String> newestFirst() {
        return NEWEST_FIRST;
    }

    /** Whether this revision has no handshake and no session. */
    public boolean isStateless() {
        return stateless;
    }

    /** Batches exist only in 2025-03-26: added there, removed again in 2025-06-18. */
    public boolean allowsBatches() {
        return this == V2025_03_26;
    }

    /** Titles beside names: on tools, prompts, resources, templates and the Implementation object. */
    public boolean hasTitles() {
        return atLeast(V2025_06_18);
    }

    /** {@code icons} on tools, resources, resource templates, prompts and the Implementation object. */
    public boolean hasIcons() {
        return atLeast(V2025_11_25);
    }

    /** {@code _meta} on tools, resources, resource templates and prompts in lists (the general _meta convention). */
    public boolean hasEntryMeta() {
        return atLeast(V2025_06_18);
    }

    /** A tool's {@code outputSchema}. */
    public boolean hasOutputSchema() {
        return atLeast(V2025_06_18);
    }

    /** A tool's {@code annotations}. */
    public boolean hasToolAnnotations() {
        return atLeast(V2025_03_26);
    }

    /** The server's {@code completions} capability; older clients would not expect it. */
    public boolean hasCompletions() {
        return atLeast(V2025_03_26);
    }

    /** A {@code message} in progress notifications. */
    public boolean hasProgressMessages() {
        return atLeast(V2025_03_26);
    }

    /**
     * Whether {@code method} exists in this revision. 2026-07-28 removed the handshake, ping, logging/setLevel and
     * resources/subscribe and unsubscribe, and added server/discover and subscriptions/listen, which the session
     * era lacks.
     */
    public boolean defines(String method) {
        return !(stateless ? SESSION_ONLY : STATELESS_ONLY).contains(method);
    }

    private boolean atLeast(Revision since) {
        return compareTo(since) >= 0;
    }
}
