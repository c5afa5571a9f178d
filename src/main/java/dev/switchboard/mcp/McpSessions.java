package dev.switchboard.mcp;

import dev.switchboard.jobs.BackgroundLoop;
import dev.switchboard.replicas.Replicas;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The open sessions. Ids are 256 random bits, so they cannot be guessed; even so a session answers only the identity
 * and the endpoint that opened it: to anyone else it does not exist (404), as the spec's security advice asks, so
 * that a leaked id neither works nor confirms that it is live. Their number in one replica's memory is bounded
 * ({@link McpLimits}): per caller and in all, and sessions left idle are forgotten.
 *
 * <p>Streamable HTTP sessions are stored in the registry as well ({@link SessionRepository}), so any replica
 * continues a session another opened, and a restart keeps them: a replica that does not hold a session reads it
 * once and keeps it. Steady requests do not read the database: a replica compares its copy with the stored session
 * at most every {@link #RECHECK}, which is how it notices a session ended (DELETE) or changed elsewhere; the copies
 * of sessions whose GET stream it holds are compared every RECHECK, requests or none, since announcements (a
 * subscribed resource updated) come from the replica holding the stream. The
 * replicas that use a session mark it used every quarter of the idle timeout, and the shared sweep
 * ({@link SessionSweepJob}) deletes the sessions no replica used for the whole timeout. Storing is best effort:
 * while the database is away sessions are opened and served from memory, as the rest of MCP is. Legacy SSE sessions
 * live on their stream, so they stay in the memory of the replica that holds it; so do all sessions where the
 * operator chose {@code SWITCHBOARD_MCP_SESSION_STORE=memory} ({@link SessionStore}), and then nothing here touches
 * the database.
 */
@Component
class McpSessions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(McpSessions.class);
    /** How stale a replica's copy of a session may be before it compares it with the stored one. */
    static final Duration RECHECK = Duration.ofSeconds(5);
    /** The shape of the ids this class makes: anything else is no session, without asking the database. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final McpLimits limits;
    /** This replica's id, which the ids of its requests to clients carry. */
    private final String replica;
    private final SessionRepository stored;
    private final ListChanges changes;
    /** Stores what this replica's streams carry, and reads what other replicas' carried, for Last-Event-ID. */
    private final StreamLog streamLog;
    /** Whether Streamable HTTP sessions are stored in the registry (the default) or kept here only. */
    private final boolean shared;
    /** Marks the sessions this replica used, or holds a stream of, as used in the registry. */
    private final BackgroundLoop heartbeat;
    /** Compares the sessions whose GET stream is open here with the registry, requests or none. */
    private final BackgroundLoop streamCheck;
    /** Admission is one decision over all sessions (count, evict, add), so opens take turns; finds do not wait. */
    private final Object admission = new Object();
    private volatile Instant lastBeat;
    private volatile boolean running;

    McpSessions(McpLimits limits, SessionStore store, SessionRepository stored, ListChanges changes,
                Replicas replicas, StreamLog streamLog) {
        this.shared = store.shared();
        this.replica = replicas.id();
        this.streamLog = streamLog;
        this.limits = limits;
        this.stored = stored;
        this.changes = changes;
        this.lastBeat = clock.instant();
        this.heartbeat = new BackgroundLoop("switchboard-mcp-session-heartbeat", this::beat, this::beatInterval, log,
                "MCP sessions cannot be marked used in the registry now ({}); they are served from memory",
                "MCP sessions are marked used in the registry again");
        this.streamCheck = new BackgroundLoop("switchboard-mcp-stream-check", this::checkStreams, () -> RECHECK, log,
                "MCP sessions with a stream open here cannot be compared with the registry now ({})",
                "MCP sessions with a stream open here are compared with the registry again");
    }

    /**
     * A new session. Sessions idle past the timeout are forgotten first; then, if the caller or the replica is at
     * its limit, the least recently used session of the caller (or of anyone) is ended, idle ones before those with
     * a stream open. Its client gets 404 on its next request and starts a new session, as the spec prescribes.
     */
    McpSession open(String principal, String endpoint, String serverId, String protocolVersion) {
        return open(principal, endpoint, serverId, protocolVersion, null);
    }

    /** A new session whose client declared {@code capabilities} in initialize. */
    McpSession open(String principal, String endpoint, String serverId, String protocolVersion,
                    JsonNode capabilities) {
        Instant now = clock.instant();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, principal, endpoint, serverId, protocolVersion, now, replica,
                streamLog::next);
        session.clientCapabilities(capabilities);
        List<McpSession> evicted;
        synchronized (admission) {
            evicted = admit(session, now);
        }
        endStored(evicted);
        if (storable(session)) {
            store(session, now);
            storeChangesOf(session);
        }
        return session;
    }

    /**
     * Stores {@code session}; while the database is away it stays on this replica, and is stored at a later check.
     * Then holds its caller to the per-caller cap across replicas.
     */
    private void store(McpSession session, Instant now) {
        try {
            stored.insert(new SessionRepository.StoredSession(session.id(), session.principal(), session.endpoint(),
                    session.serverId(), session.protocolVersion(), session.clientCapabilities(), session.logLevel(),
                    session.watchedResources(), now, now));
            session.stored(true);
        } catch (RuntimeException e) {
            log.debug("MCP session kept on this replica only for now: the registry did not take it ({})",
                    e.toString());
            return;
        }
        try {
            capCallerEverywhere(session);
        } catch (RuntimeException e) {
            log.debug("MCP sessions of one caller counted on this replica only for now ({})", e.toString());
        }
    }

    /**
     * Ends the least recently used stored sessions of {@code session}'s caller beyond
     * {@code SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER}, whichever replicas opened them: here at once, elsewhere when
     * the replicas holding them next compare their copies (within {@link #RECHECK}). One count per new session.
     */
    private void capCallerEverywhere(McpSession session) {
        int excess = stored.countOf(session.principal()) - limits.maxSessionsPerCaller();
        if (excess <= 0) {
            return;
        }
        for (String id : stored.leastRecentlyUsedOf(session.principal(), excess, session.id())) {
            stored.delete(id);
            McpSession copy = sessions.get(id);
            if (copy != null) {
                forget(copy);
            }
            log.debug("Ended MCP session {}… of {} to stay within SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER={} across"
                    + " replicas", id.substring(0, 8), session.principal(), limits.maxSessionsPerCaller());
        }
    }

    /**
     * Makes room for {@code session} within the limits and keeps it; returns the sessions it ended to make room,
     * whose stored rows the caller deletes once it no longer holds the admission lock. Holding it.
     */
    private List<McpSession> admit(McpSession session, Instant now) {
        // Forgotten here, not ended everywhere: another replica may be serving it.
        sessions.values().removeIf(s -> {
            boolean stale = isStale(s, now);
            if (stale) {
                s.end();
            }
            return stale;
        });
        List<McpSession> evicted = new ArrayList<>();
        makeRoom(s -> s.principal().equals(session.principal()), limits.maxSessionsPerCaller(),
                "SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER", evicted);
        makeRoom(s -> true, limits.maxSessions(), "SWITCHBOARD_MCP_MAX_SESSIONS", evicted);
        sessions.put(session.id(), session);
        return evicted;
    }

    /**
     * Ends the least recently used of the sessions {@code which} selects until one more fits under {@code limit},
     * adding them to {@code evicted}.
     */
    private void makeRoom(Predicate<McpSession> which, int limit, String setting, List<McpSession> evicted) {
        List<McpSession> chosen = new ArrayList<>(sessions.values().stream().filter(which).toList());
        int excess = chosen.size() - (limit - 1);
        if (excess <= 0) {
            return;
        }
        chosen.sort(Comparator.comparing(McpSession::hasStream).thenComparing(McpSession::lastUsed));
        for (McpSession oldest : chosen.subList(0, excess)) {
            forget(oldest);
            evicted.add(oldest);
            log.debug("Ended MCP session of {}, unused since {}, to stay within {}={}", oldest.principal(),
                    oldest.lastUsed(), setting, limit);
        }
    }

    /**
     * The live session {@code id} if {@code principal} opened it on {@code endpoint}: this replica's copy, or the
     * stored session, which this replica then keeps.
     */
    Optional<McpSession> find(String id, String principal, String endpoint) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        McpSession session = sessions.get(id);
        if (session == null) {
            session = restore(id, principal, endpoint, now).orElse(null);
        } else if (storable(session) && session.checkedAt().plus(RECHECK).isBefore(now) && !current(session, now)) {
            return Optional.empty();
        }
        if (session == null || !session.principal().equals(principal) || !session.endpoint().equals(endpoint)) {
            return Optional.empty();
        }
        if (isStale(session, now)) {
            forget(session);
            return Optional.empty();
        }
        session.touch(now);
        return Optional.of(session);
    }

    /**
     * The session {@code id} if this replica holds it for {@code principal} on {@code endpoint}, without asking the
     * registry: where another replica passes on a client's message for a call running here.
     */
    Optional<McpSession> held(String id, String principal, String endpoint) {
        McpSession session = id == null ? null : sessions.get(id);
        return session != null && session.principal().equals(principal) && session.endpoint().equals(endpoint)
                ? Optional.of(session) : Optional.empty();
    }

    /**
     * Whether this replica's copy of {@code session} still stands: the stored session may have been ended by another
     * replica (then so is the copy) or changed there (then the copy follows). Unknown while the database is away:
     * the copy stands.
     */
    private boolean current(McpSession session, Instant now) {
        // Checked now, whatever the answer: while the database is away, once per RECHECK is enough to ask.
        session.checked(now);
        Optional<SessionRepository.StoredSession> row;
        try {
            row = stored.find(session.id());
        } catch (RuntimeException e) {
            return true;
        }
        if (row.isEmpty() && !session.isStored()) {
            // Opened while the database was away: stored now, so that other replicas continue it too.
            store(session, now);
            return true;
        }
        return follow(session, row.orElse(null));
    }

    /**
     * Makes this replica's copy of {@code session} follow its stored row: ended when the row is gone (another replica
     * ended it), else taking the row's log level and subscriptions. Whether the copy still stands.
     */
    private boolean follow(McpSession session, SessionRepository.StoredSession row) {
        if (row == null) {
            forget(session);
            return false;
        }
        adopt(session, row);
        return true;
    }

    /**
     * Takes the stored session's log level and subscriptions into this replica's copy; a resource subscribed or
     * unsubscribed through another replica is subscribed or unsubscribed upstream here too, since announcements of
     * the session that this replica holds come from here.
     */
    private void adopt(McpSession session, SessionRepository.StoredSession row) {
        McpSession.Adopted changed = session.adopt(row.logLevel(), row.subscriptions());
        changed.subscribed().forEach(uri -> changes.subscribeUpstream(session, uri));
        changed.unsubscribed().forEach(uri -> changes.unsubscribeUpstream(session, uri));
    }

    /** The stored session {@code id}, kept from now on by this replica, if it is the caller's on this endpoint. */
    private Optional<McpSession> restore(String id, String principal, String endpoint, Instant now) {
        if (!shared || endpoint.endsWith("/sse") || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        SessionRepository.StoredSession row;
        try {
            row = stored.find(id).orElse(null);
        } catch (RuntimeException e) {
            log.debug("MCP session {}… not looked up: the registry is unavailable ({})", id.substring(0, 8),
                    e.toString());
            return Optional.empty();
        }
        if (row == null || !row.principal().equals(principal) || !row.endpoint().equals(endpoint)
                || row.lastUsedAt().plus(limits.sessionIdleTimeout()).isBefore(now)) {
            return Optional.empty();
        }
        McpSession session = new McpSession(id, principal, endpoint, row.serverId(), row.protocolVersion(), now,
                replica, streamLog::next);
        session.stored(true);
        session.clientCapabilities(row.clientCapabilities());
        session.adopt(row.logLevel(), row.subscriptions());
        List<McpSession> evicted;
        synchronized (admission) {
            McpSession raced = sessions.get(id);
            if (raced != null) {
                return Optional.of(raced);
            }
            evicted = admit(session, now);
        }
        endStored(evicted);
        storeChangesOf(session);
        // It hears of changes from now on; what it missed while no replica held it is not replayed.
        changes.watch(session);
        return Optional.of(session);
    }

    /**
     * Makes {@code stream} the session's GET stream. A client that reconnects with the {@code lastEventId} of another
     * replica's stream first gets what that replica sent after it, as the registry holds it.
     */
    void attach(McpSession session, SseStream stream, String lastEventId) {
        StreamLog.EventId given = StreamLog.EventId.parse(lastEventId).orElse(null);
        List<StreamLog.Replayed> elsewhere = given == null || streamLog.isOwn(given) || !storable(session) ? List.of()
                : streamLog.sentElsewhere(session.id(), given, McpSession.REPLAY_LIMIT);
        session.attach(stream, given, elsewhere);
    }

    /**
     * Keeps the stored session in step with what changes in {@code session} after it opened, and stores what its
     * streams here carry.
     */
    private void storeChangesOf(McpSession session) {
        session.onSent((eventId, json) -> {
            if (session.isStored()) {
                streamLog.sent(session.id(), eventId, json);
            }
        });
        session.onChange(() -> {
            try {
                stored.update(session.id(), session.logLevel(), session.watchedResources());
            } catch (RuntimeException e) {
                log.debug("MCP session {}… changed on this replica only: the registry did not take it ({})",
                        session.id().substring(0, 8), e.toString());
            }
        });
    }

    /** Ends the session for its client: here, and in the registry, so that every replica ends it. */
    void end(McpSession session) {
        forget(session);
        endStored(List.of(session));
    }

    /** Deletes the stored rows of sessions ended here, so that the replicas holding copies end them too. */
    private void endStored(List<McpSession> ended) {
        for (McpSession session : ended) {
            if (!storable(session)) {
                continue;
            }
            try {
                stored.delete(session.id());
            } catch (RuntimeException e) {
                log.debug("MCP session {}… ended on this replica only: the registry did not take it ({})",
                        session.id().substring(0, 8), e.toString());
            }
        }
    }

    /** Drops this replica's copy: its stream closes and its running requests stop. */
    private void forget(McpSession session) {
        sessions.remove(session.id(), session);
        session.end();
    }

    /** Whether {@code session} lives in the registry as well as here. */
    private boolean storable(McpSession session) {
        return shared && !session.isLegacy();
    }

    private boolean isStale(McpSession session, Instant now) {
        return !session.hasStream() && session.lastUsed().plus(limits.sessionIdleTimeout()).isBefore(now);
    }

    /** Marks used, in the registry, the sessions used here since the last beat and those with a stream open here. */
    private void beat() {
        Instant now = clock.instant();
        Instant since = lastBeat;
        List<String> used = sessions.values().stream().filter(this::storable)
                .filter(s -> s.hasStream() || s.lastUsed().isAfter(since)).map(McpSession::id).toList();
        if (!used.isEmpty()) {
            stored.touch(used, now);
        }
        lastBeat = now;
    }

    /**
     * Compares with the registry, in one query per 500 sessions, the copies of sessions whose stream is open here
     * and that no request made this replica check within {@link #RECHECK}. A session that only listens sends no
     * requests, yet it must hear of a subscription taken, a log level set or its end, through another replica: its
     * announcements come from here.
     */
    private void checkStreams() {
        Instant now = clock.instant();
        List<McpSession> due = sessions.values().stream().filter(s -> !s.isLegacy() && s.isStored()
                && s.hasStream() && s.checkedAt().plus(RECHECK).isBefore(now)).toList();
        if (due.isEmpty()) {
            return;
        }
        Map<String, SessionRepository.StoredSession> rows = new HashMap<>();
        stored.findAll(due.stream().map(McpSession::id).toList()).forEach(row -> rows.put(row.id(), row));
        for (McpSession session : due) {
            session.checked(now);
            follow(session, rows.get(session.id()));
        }
    }

    private Duration beatInterval() {
        Duration quarter = limits.sessionIdleTimeout().dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(1)) < 0 ? quarter : Duration.ofMinutes(1);
    }

    // Streams would hold a graceful shutdown open until its timeout, so they are closed before it starts.

    @Override
    public void start() {
        running = true;
        if (!shared) {
            log.info("MCP sessions are kept in the memory of the replica that opens them"
                    + " (SWITCHBOARD_MCP_SESSION_STORE=memory): a restart ends them, and another replica does not know"
                    + " them");
            return;
        }
        heartbeat.start(beatInterval());
        streamCheck.start(RECHECK);
    }

    @Override
    public void stop() {
        running = false;
        // What was used since the last beat counts as used: another replica continues these sessions.
        heartbeat.stop(Duration.ofSeconds(2));
        streamCheck.stop(Duration.ofSeconds(2));
        try {
            if (shared) {
                beat();
            }
        } catch (RuntimeException e) {
            log.debug("MCP sessions not marked used at shutdown ({})", e.toString());
        }
        // Streams only: a tool call in flight finishes within the graceful shutdown, as any HTTP request does, unless
        // it waits for the client's answer, which can no longer arrive: that call ends now, with an error.
        sessions.values().forEach(s -> {
            s.stopWaitingForClient();
            s.closeStream();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
