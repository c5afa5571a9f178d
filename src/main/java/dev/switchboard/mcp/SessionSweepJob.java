package dev.switchboard.mcp;

import dev.switchboard.jobs.SharedJob;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the stored MCP sessions that no replica used for the whole idle timeout
 * ({@code SWITCHBOARD_MCP_SESSION_IDLE_TIMEOUT}), once per minute across all replicas.
 */
@Component
class SessionSweepJob implements SharedJob {

    private static final Logger log = LoggerFactory.getLogger(SessionSweepJob.class);
    /** Sessions deleted per transaction, so a large sweep holds no long lock. */
    private static final int DELETE_CHUNK = 1000;

    private final SessionRepository stored;
    private final McpLimits limits;

    SessionSweepJob(SessionRepository stored, McpLimits limits) {
        this.stored = stored;
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
        Instant before = Instant.now().minus(limits.sessionIdleTimeout());
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
