package dev.switchboard.mcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The open sessions, in memory. Ids are 256 random bits, so they cannot be guessed; even so a session answers
 * only the identity and the endpoint that opened it: to anyone else it does not exist (404), as the spec's
 * security advice asks, so that a leaked id neither works nor confirms that it is live.
 */
@Component
class McpSessions {

    /** Sessions idle for longer are forgotten, so clients that never DELETE cannot fill memory. */
    static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    McpSession open(String principal, String endpoint, String protocolVersion) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.lastUsed().plus(IDLE_TIMEOUT).isBefore(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, principal, endpoint, protocolVersion, now);
        sessions.put(id, session);
        return session;
    }

    /** The live session {@code id} if {@code principal} opened it on {@code endpoint}. */
    Optional<McpSession> find(String id, String principal, String endpoint) {
        McpSession session = sessions.get(id);
        Instant now = clock.instant();
        if (session == null || !session.principal().equals(principal) || !session.endpoint().equals(endpoint)) {
            return Optional.empty();
        }
        if (session.lastUsed().plus(IDLE_TIMEOUT).isBefore(now)) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        session.touch(now);
        return Optional.of(session);
    }

    void end(McpSession session) {
        sessions.remove(session.id(), session);
    }
}
