package dev.switchboard.observability;

import dev.switchboard.jobs.SharedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rolls raw invocation rows up into hourly rows (count, failures, sum, max, p50/p95/p99 and a histogram), then
 * deletes raw rows and rollups past their retention. Each run re-rolls the last rolled hour and the one before
 * (rows flushed late still count) through every hour up to the current, partial one; rolling an hour twice
 * gives the same row, so runs are idempotent.
 */
@Component
public class InvocationRollupJob implements SharedJob {

    private static final Logger log = LoggerFactory.getLogger(InvocationRollupJob.class);
    static final String NAME = "metrics-rollup";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int DELETE_CHUNK = 1000;

    private final InvocationMetricRepository raw;
    private final HourlyRollupRepository hourly;
    private final MetricsSettings settings;
    private Clock clock = Clock.systemUTC();

    public InvocationRollupJob(InvocationMetricRepository raw, HourlyRollupRepository hourly, MetricsSettings settings) {
        this.raw = raw;
        this.hourly = hourly;
        this.settings = settings;
    }

    /** Tests move time: rollups and retention are both about the clock. */
    void clock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration interval() {
        return settings.rollupInterval();
    }

    @Override
    public void run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant current = now.truncatedTo(ChronoUnit.HOURS);
        Instant latest = hourly.latestHour();
        Instant start = latest != null ? latest.minus(HOUR) : hourOf(raw.earliest());
        int hours = 0;
        if (start != null) {
            // Raw rows older than their retention are (or are about to be) gone: rolling them again would undercount.
            Instant oldestKept = now.minus(settings.rawRetention()).truncatedTo(ChronoUnit.HOURS).plus(HOUR);
            for (Instant hour = start.isBefore(oldestKept) ? oldestKept : start; !hour.isAfter(current);
                 hour = hour.plus(HOUR)) {
                rollUp(hour, now);
                hours++;
            }
        }
        long rawDeleted = raw.deleteBefore(now.minus(settings.rawRetention()), DELETE_CHUNK);
        long rollupsDeleted = hourly.deleteBefore(now.minus(settings.rollupRetention()).truncatedTo(ChronoUnit.HOURS));
        log.debug("Rolled up {} hours of invocation metrics; deleted {} raw rows and {} hourly rows", hours,
                rawDeleted, rollupsDeleted);
    }

    private void rollUp(Instant hour, Instant now) {
        Map<EntityType, Map<UUID, InvocationStats>> stats = new HashMap<>();
        raw.forEach(hour, hour.plus(HOUR), null, row -> stats.computeIfAbsent(row.type(), t -> new HashMap<>())
                .computeIfAbsent(row.entityId(), id -> new InvocationStats()).add(row.durationUs(), row.success()));
        List<HourlyRollupRepository.Rollup> rollups = new ArrayList<>();
        stats.forEach((type, byEntity) -> byEntity.forEach((id, s) -> rollups.add(new HourlyRollupRepository.Rollup(
                type, id, hour, s.count(), s.failures(), s.sumUs(), s.maxUs(), s.percentile(0.50), s.percentile(0.95),
                s.percentile(0.99), s.histogram()))));
        hourly.save(rollups, now);
    }

    private static Instant hourOf(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.HOURS);
    }
}
