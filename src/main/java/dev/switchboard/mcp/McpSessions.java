package dev.switchboard.mcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The open sessions, in memory. Ids are 256 random bits, so they cannot be guessed; even so a session answers
 * only the identity and the endpoint that opened it: to anyone else it does not exist (404), as the spec's
 * security advice asks, so that a leaked id neither works nor confirms that it is live. Their number is bounded
 * ({@link McpLimits}): per caller and in all, and sessions left idle are forgotten.
 */
@Component
class McpSessions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(McpSessions.class);

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final McpLimits limits;
    /** Admission is one decision over all sessions (count, evict, add), so opens take turns; finds do not wait. */
    private final Object admission = new Object();
    private volatile boolean running;

    McpSessions(McpLimits limits) {
        this.limits = limits;
    }

    /**
     * A new session. Sessions idle past the timeout are forgotten first; then, if the caller or the replica is at
     * its limit, the least recently used session of the caller (or of anyone) is ended, idle ones before those with
     * a stream open. Its client gets 404 on its next request and starts a new session, as the spec prescribes.
     */
    McpSession open(String principal, String endpoint, String serverId, String protocolVersion) {
        Instant now = clock.instant();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, principal, endpoint, serverId, protocolVersion, now);
        synchronized (admission) {
            sessions.values().removeIf(s -> {
                boolean stale = isStale(s, now);
                if (stale) {
                    s.end();
                }
                return stale;
            });
            makeRoom(s -> s.principal().equals(principal), limits.maxSessionsPerCaller(),
                    "SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER");
            makeRoom(s -> true, limits.maxSessions(), "SWITCHBOARD_MCP_MAX_SESSIONS");
            sessions.put(id, session);
        }
        return session;
    }

    /** Ends the least recently used of the sessions {@code which} selects until one more fits under {@code limit}. */
    private void makeRoom(Predicate<McpSession> which, int limit, String setting) {
        List<McpSession> chosen = new ArrayList<>(sessions.values().stream().filter(which).toList());
        int excess = chosen.size() - (limit - 1);
        if (excess <= 0) {
            return;
        }
        chosen.sort(Comparator.comparing(McpSession::hasStream).thenComparing(McpSession::lastUsed));
        for (McpSession oldest : chosen.subList(0, excess)) {
            end(oldest);
            log.debug("Ended MCP session of {}, unused since {}, to stay within {}={}", oldest.principal(),
                    oldest.lastUsed(), setting, limit);
        }
    }

    /** The live session {@code id} if {@code principal} opened it on {@code endpoint}. */
    Optional<McpSession> find(String id, String principal, String endpoint) {
        McpSession session = id == null ? null : sessions.get(id);
        Instant now = clock.instant();
        if (session == null || !session.principal().equals(principal) || !session.endpoint().equals(endpoint)) {
            return Optional.empty();
        }
        if (isStale(session, now)) {
            end(session);
            return Optional.empty();
        }
        session.touch(now);
        return Optional.of(session);
    }

    void end(McpSession session) {
        sessions.remove(session.id(), session);
        session.end();
    }

    private boolean isStale(McpSession session, Instant now) {
        return !session.hasStream() && session.lastUsed().plus(limits.sessionIdleTimeout()).isBefore(now);
    }
    // Streams would hold a graceful shutdown open until its timeout, so they are closed before it starts.

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // Streams only: a tool call in flight finishes within the graceful shutdown, as any HTTP request does.
        sessions.values().forEach(McpSession::closeStream);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
