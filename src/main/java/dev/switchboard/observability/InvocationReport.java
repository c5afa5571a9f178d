package dev.switchboard.observability;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.ToolRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Invocation figures per entity since an instant: exact, from raw rows, for the span raw rows are kept; and, for
 * older hours, merged from hourly rollups, whose percentiles are then estimates (within a histogram bucket, about
 * 19%) and whose first hour counts whole.
 */
@Component
class InvocationReport {

    /** One entity's line of the report. */
    record Line(String entityType, UUID entityId, String name, long count, long failures, double failureRate,
                double p50Ms, double p95Ms, double p99Ms, boolean approximate) {
    }

    private record Key(EntityType type, UUID id) {
    }

    private final InvocationMetricRepository raw;
    private final HourlyRollupRepository hourly;
    private final MetricsSettings settings;
    private final ToolRepository tools;
    private final ResourceRepository resources;
    private final PromptRepository prompts;

    InvocationReport(InvocationMetricRepository raw, HourlyRollupRepository hourly, MetricsSettings settings,
                     ToolRepository tools, ResourceRepository resources, PromptRepository prompts) {
        this.raw = raw;
        this.hourly = hourly;
        this.settings = settings;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
    }

    /** The lines for invocations started from {@code since} to {@code now}, busiest first. */
    List<Line> since(Instant since, Instant now, EntityType type) {
        Map<Key, InvocationStats> stats = new HashMap<>();
        // The first hour whose raw rows are all still kept: before it, only rollups know the figures.
        Instant rawFrom = now.minus(settings.rawRetention()).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        if (since.isBefore(rawFrom)) {
            hourly.forEach(since.truncatedTo(ChronoUnit.HOURS), rawFrom, type, r ->
                    stats.computeIfAbsent(new Key(r.type(), r.entityId()), k -> new InvocationStats())
                            .merge(r.calls(), r.failures(), r.sumUs(), r.maxUs(), r.histogram()));
        } else {
            rawFrom = since;
        }
        raw.forEach(rawFrom, now.plusNanos(1000), type, row ->
                stats.computeIfAbsent(new Key(row.type(), row.entityId()), k -> new InvocationStats())
                        .add(row.durationUs(), row.success()));
        Map<UUID, String> names = names(stats.keySet());
        List<Line> lines = new ArrayList<>();
        stats.forEach((key, s) -> lines.add(new Line(key.type().code(), key.id(), names.get(key.id()), s.count(),
                s.failures(), s.count() == 0 ? 0 : (double) s.failures() / s.count(), ms(s.percentile(0.50)),
                ms(s.percentile(0.95)), ms(s.percentile(0.99)), s.approximate())));
        lines.sort(Comparator.comparingLong(Line::count).reversed().thenComparing(Line::entityType)
                .thenComparing(Line::entityId));
        return lines;
    }

    /** The current names of the entities that still exist. */
    private Map<UUID, String> names(Iterable<Key> keys) {
        Map<EntityType, List<UUID>> ids = new HashMap<>();
        keys.forEach(k -> ids.computeIfAbsent(k.type(), t -> new ArrayList<>()).add(k.id()));
        Map<UUID, String> names = new HashMap<>();
        ids.forEach((type, list) -> {
            List<? extends CatalogEntry> found = switch (type) {
                case TOOL -> tools.findAll(list);
                case RESOURCE -> resources.findAll(list);
                case PROMPT -> prompts.findAll(list);
            };
            found.forEach(e -> names.put(e.id(), e.name()));
        });
        return names;
    }

    private static double ms(long us) {
        return us / 1000.0;
    }
}
