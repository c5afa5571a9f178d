package dev.switchboard.mcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The open sessions, in memory. Ids are 256 random bits, so they cannot be guessed; even so a session answers
 * only the identity and the endpoint that opened it: to anyone else it does not exist (404), as the spec's
 * security advice asks, so that a leaked id neither works nor confirms that it is live.
 */
@Component
class McpSessions implements SmartLifecycle {

    /** Sessions idle for longer, with no stream open, are forgotten, so clients that never DELETE cannot fill memory. */
    static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean running;

    McpSession open(String principal, String endpoint, String serverId, String protocolVersion) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> {
            boolean stale = isStale(s, now);
            if (stale) {
                s.end();
            }
            return stale;
        });
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, principal, endpoint, serverId, protocolVersion, now);
        sessions.put(id, session);
        return session;
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

    private static boolean isStale(McpSession session, Instant now) {
        return !session.hasStream() && session.lastUsed().plus(IDLE_TIMEOUT).isBefore(now);
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
