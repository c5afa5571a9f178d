package dev.switchboard.observability;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.VirtualServerRepository;
import dev.switchboard.security.TeamAccess;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Invocation figures per entity since an instant: exact, from raw rows, for the span raw rows are kept; and, for
 * older hours, merged from hourly rollups, whose percentiles are then estimates (within a histogram bucket, about
 * 19%) and whose first hour counts whole.
 */
@Component
public class InvocationReport {

    /** One entity's line of the report. */
    public record Line(String entityType, UUID entityId, String name, long count, long failures, double failureRate,
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
    private final VirtualServerRepository servers;

    InvocationReport(InvocationMetricRepository raw, HourlyRollupRepository hourly, MetricsSettings settings,
                     ToolRepository tools, ResourceRepository resources, PromptRepository prompts,
                     VirtualServerRepository servers) {
        this.servers = servers;
        this.raw = raw;
        this.hourly = hourly;
        this.settings = settings;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
    }

    /**
     * The lines for invocations started from {@code since} to {@code now}, busiest first: every entity's for a caller
     * held to no team, else those of the entries of the caller's teams that still exist.
     */
    public List<Line> since(Instant since, Instant now, EntityType type, TeamAccess access) {
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
        Map<UUID, CatalogEntry> entries = entries(stats.keySet());
        List<Line> lines = new ArrayList<>();
        stats.forEach((key, s) -> {
            CatalogEntry entry = entries.get(key.id());
            if (!access.everything() && (entry == null || !access.reachesAny(Set.of(entry.teamId())))) {
                return;
            }
            lines.add(new Line(key.type().code(), key.id(), entry == null ? null : entry.name(), s.count(),
                    s.failures(), s.count() == 0 ? 0 : (double) s.failures() / s.count(), ms(s.percentile(0.50)),
                    ms(s.percentile(0.95)), ms(s.percentile(0.99)), s.approximate()));
        });
        lines.sort(Comparator.comparingLong(Line::count).reversed().thenComparing(Line::entityType)
                .thenComparing(Line::entityId));
        return lines;
    }

    /** The entities that still exist, by id. */
    private Map<UUID, CatalogEntry> entries(Iterable<Key> keys) {
        Map<EntityType, List<UUID>> ids = new HashMap<>();
        keys.forEach(k -> ids.computeIfAbsent(k.type(), t -> new ArrayList<>()).add(k.id()));
        Map<UUID, CatalogEntry> entries = new HashMap<>();
        ids.forEach((type, list) -> {
            List<? extends CatalogEntry> found = switch (type) {
                case TOOL -> tools.findAll(list);
                case RESOURCE -> resources.findAll(list);
                case PROMPT -> prompts.findAll(list);
                case SERVER -> servers.findAll(list);
            };
            found.forEach(e -> entries.put(e.id(), e));
        });
        return entries;
    }

    private static double ms(long us) {
        return us / 1000.0;
    }
}
