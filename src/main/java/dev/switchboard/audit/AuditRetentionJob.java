package dev.switchboard.audit;

import dev.switchboard.jobs.SharedJob;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Deletes audit rows older than SWITCHBOARD_AUDIT_RETENTION, hourly, on one replica at a time. */
@Component
public class AuditRetentionJob implements SharedJob {

    private static final Logger log = LoggerFactory.getLogger(AuditRetentionJob.class);
    private static final int DELETE_CHUNK = 1000;

    private final AuditRepository repository;
    private final AuditSettings settings;

    AuditRetentionJob(AuditRepository repository, AuditSettings settings) {
        this.repository = repository;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "audit-retention";
    }

    @Override
    public Duration interval() {
        return Duration.ofHours(1);
    }

    @Override
    public void run() {
        long deleted = repository.deleteBefore(Instant.now().minus(settings.retention()), DELETE_CHUNK);
        if (deleted > 0) {
            log.info("Deleted {} audit rows older than {}", deleted, settings.retention());
        }
    }
}
