package dev.switchboard.mcp;

import dev.switchboard.jobs.SharedJob;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the stored MCP sessions that no replica used for the whole idle timeout
 * ({@code SWITCHBOARD_MCP_SESSION_IDLE_TIMEOUT}), and the messages sent on streams longer ago than
 * {@link StreamLog#RETENTION}, once per minute across all replicas.
 */
@Component
class SessionSweepJob implements SharedJob {

    private static final Logger log = LoggerFactory.getLogger(SessionSweepJob.class);
    /** Sessions deleted per transaction, so a large sweep holds no long lock. */
    private static final int DELETE_CHUNK = 1000;

    private final SessionRepository stored;
    private final SessionEventRepository events;
    private final McpLimits limits;

    SessionSweepJob(SessionRepository stored, SessionEventRepository events, McpLimits limits) {
        this.stored = stored;
        this.events = events;
        this.limits = limits;
    }

    @Override
    public String name() {
        return "mcp-session-sweep";
    }

    @Override
    public Duration interval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public void run() {
        Instant now = Instant.now();
        int sent = events.deleteSentBefore(now.minus(StreamLog.RETENTION));
        if (sent > 0) {
            log.debug("Deleted {} messages sent on MCP streams before {}", sent, now.minus(StreamLog.RETENTION));
        }
        Instant before = now.minus(limits.sessionIdleTimeout());
        int deleted = 0;
        int chunk;
        do {
            chunk = stored.deleteIdleBefore(before, DELETE_CHUNK);
            deleted += chunk;
        } while (chunk == DELETE_CHUNK);
        if (deleted > 0) {
            log.debug("Deleted {} MCP sessions idle since before {}", deleted, before);
        }
    }
}
