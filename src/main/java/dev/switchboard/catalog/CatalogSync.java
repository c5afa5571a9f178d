package dev.switchboard.catalog;

import dev.switchboard.catalog.DiscoveredKind.Stored;
import dev.switchboard.catalog.SyncReport.Counts;
import dev.switchboard.catalog.SyncReport.Skipped;
import dev.switchboard.catalog.UpstreamDefinitions.Unstorable;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Brings what an upstream offers into the catalog, in one transaction per upstream: new entries are added,
 * changed ones updated, vanished ones disabled (not deleted, so virtual-server memberships survive a flapping
 * upstream) and returning ones re-enabled, unless an operator disabled them. Unchanged entries are not written
 * at all, so an idle refresh moves no version and announces nothing.
 */
@Service
public class CatalogSync {

    private final Transactions transactions;
    private final UpstreamGatewayRepository gateways;
    private final DiscoveredKind<Tool> tools;
    private final DiscoveredKind<Resource> resources;
    private final DiscoveredKind<Prompt> prompts;
    private final UpstreamDefinitions definitions;
    private final Table<Record> gatewayTable = Columns.table("upstream_gateway");
    private final Field<UUID> gatewayId;
    private final Field<String> protocolVersion;
    private final Field<String> instructions;
    private final Field<Instant> lastSeenAt;

    public CatalogSync(Transactions transactions, UpstreamGatewayRepository gateways, ToolRepository tools,
                       ResourceRepository resources, PromptRepository prompts, JsonMapper json) {
        Columns c = new Columns(transactions.dialect());
        this.transactions = transactions;
        this.gateways = gateways;
        this.tools = new DiscoveredKind<>(tools, "tool", json);
        this.resources = new DiscoveredKind<>(resources, "resource", json);
        this.prompts = new DiscoveredKind<>(prompts, "prompt", json);
        this.definitions = new UpstreamDefinitions(json);
        this.gatewayId = c.uuid(gatewayTable, "id");
        this.protocolVersion = c.text(gatewayTable, "protocol_version");
        this.instructions = c.text(gatewayTable, "instructions");
        this.lastSeenAt = c.timestamp(gatewayTable, "last_seen_at");
    }

    /**
     * Makes the catalog's entries of the upstream {@code gateway} match {@code offer}, and records that the
     * upstream was seen, speaking {@code offer.protocolVersion()}.
     *
     * @throws CatalogEntryNotFoundException when the upstream is no longer registered
     */
    public SyncReport sync(UUID gateway, UpstreamOffer offer) {
        return transactions.write(dsl -> {
            UpstreamGateway upstream = gateways.findIn(dsl, gateway)
                    .orElseThrow(() -> new CatalogEntryNotFoundException("upstream gateway", gateway));
            Run run = new Run(dsl, upstream, Instant.now().truncatedTo(ChronoUnit.MICROS));
            UUID team = upstream.teamId();
            run.sync(tools, offered(run, "tool", offer.tools(),
                            t -> definitions.tool(gateway, team, upstream.slug(), t)),
                    Tool::originalName, t -> "tool",
                    (cur, d, on) -> new Tool(cur.id(), cur.gatewayId(), d.name(), d.originalName(),
                            cur.displayName(), IntegrationType.MCP, d.description(), d.inputSchema(),
                            d.outputSchema(), d.annotations(), null, AuthType.NONE, null, on, cur.tags(),
                            team, cur.createdAt(), cur.updatedAt(), cur.version()));
            List<Offered<Resource>> offeredResources = new ArrayList<>(
                    offered(run, "resource", offer.resources(), r -> definitions.resource(gateway, team, r, false)));
            offeredResources.addAll(
                    offered(run, "template", offer.templates(), r -> definitions.resource(gateway, team, r, true)));
            // Keyed by URI within this upstream: another upstream (or the registry) serving the same URI is no
            // conflict here; a virtual server presents one of them, and /mcp picks one by a fixed rule.
            run.sync(resources, offeredResources, Resource::uri, r -> r.template() ? "template" : "resource",
                    (cur, d, on) -> new Resource(cur.id(), cur.gatewayId(), d.uri(), d.template(), d.name(),
                            d.title(), d.description(), d.mimeType(), d.sizeBytes(), null, null, d.annotations(), on,
                            cur.tags(), team, cur.createdAt(), cur.updatedAt(), cur.version()));
            run.sync(prompts, offered(run, "prompt", offer.prompts(), p -> definitions.prompt(gateway,
                            team, upstream.slug(), p)), Prompt::originalName, p -> "prompt",
                    (cur, d, on) -> new Prompt(cur.id(), cur.gatewayId(), d.name(), d.originalName(),
                            cur.displayName(), d.title(), d.description(), null, d.arguments(), on, cur.tags(),
                            team, cur.createdAt(), cur.updatedAt(), cur.version()));
            // Status, not configuration: no version bump, so a refresh that changed nothing announces nothing.
            dsl.update(gatewayTable).set(protocolVersion, offer.protocolVersion())
                    .set(instructions, offer.instructions()).set(lastSeenAt, run.now)
                    .where(gatewayId.eq(gateway)).execute();
            return run.report();
        });
    }

    /** An offered entry that could be turned into a catalog entry. */
    private record Offered<T>(String kind, String key, JsonNode sent, T draft) {
    }

    /** How a stored entry takes a new definition: the current entry, the offered draft and its on/off state. */
    private interface Merge<T> {
        T apply(T current, T draft, boolean enabled);
    }

    private <T> List<Offered<T>> offered(Run run, String kind, List<JsonNode> sent, Function<JsonNode, T> toEntry) {
        List<Offered<T>> offered = new ArrayList<>(sent.size());
        for (JsonNode entry : sent) {
            String key = entry.isObject() ? UpstreamDefinitions.key(kind, entry) : null;
            try {
                if (!entry.isObject()) {
                    throw new Unstorable("it is not a JSON object");
                }
                offered.add(new Offered<>(kind, key, entry, toEntry.apply(entry)));
            } catch (Unstorable e) {
                run.skip(kind, key, e.getMessage());
            }
        }
        return offered;
    }

    /** One discovery's writes and the report of them. */
    private static final class Run {
        private final DSLContext dsl;
        private final UpstreamGateway upstream;
        private final Instant now;
        private final Map<String, int[]> counts = new LinkedHashMap<>();
        private final List<Skipped> skipped = new ArrayList<>();

        Run(DSLContext dsl, UpstreamGateway upstream, Instant now) {
            this.dsl = dsl;
            this.upstream = upstream;
            this.now = now;
        }

        <T extends CatalogEntry> void sync(DiscoveredKind<T> kind, List<Offered<T>> offered,
                                           Function<T, String> keyOf, Function<T, String> kindOf,
                                           Merge<T> merge) {
            Map<String, Stored<T>> stored = new HashMap<>();
            for (Stored<T> s : kind.of(dsl, upstream.id())) {
                stored.put(keyOf.apply(s.entry()), s);
            }
            Set<String> seen = new HashSet<>();
            for (Offered<T> o : offered) {
                if (!seen.add(o.key())) {
                    skip(o.kind(), o.key(), "the upstream offered it more than once");
                    continue;
                }
                Stored<T> s = stored.get(o.key());
                if (s == null) {
                    if (kind.repository().holderOfUniqueValues(dsl, o.draft()).isPresent()) {
                        skip(o.kind(), o.key(), "another entry is already named '" + o.draft().name() + "'");
                    } else {
                        kind.insert(dsl, o.draft(), o.sent());
                        count(o.kind(), 0);
                    }
                    continue;
                }
                boolean back = s.vanishedAt() != null;
                boolean changed = !DiscoveredKind.same(o.sent(), s.definition())
                        || !o.draft().name().equals(s.entry().name());
                if (!changed && !back) {
                    continue;
                }
                T merged = merge.apply(s.entry(), o.draft(), back || s.entry().enabled());
                if (kind.repository().holderOfUniqueValues(dsl, merged).isPresent()) {
                    skip(o.kind(), o.key(), "another entry is already named '" + merged.name() + "'");
                    continue;
                }
                kind.replace(dsl, merged, o.sent());
                count(o.kind(), back ? 3 : 1);
            }
            for (Map.Entry<String, Stored<T>> e : stored.entrySet()) {
                Stored<T> s = e.getValue();
                if (!seen.contains(e.getKey()) && s.entry().enabled() && s.vanishedAt() == null) {
                    kind.vanish(dsl, s.entry().id(), now);
                    count(kindOf.apply(s.entry()), 2);
                }
            }
        }

        void skip(String kind, String key, String reason) {
            skipped.add(new Skipped(kind, key == null ? null : EntryRules.shorten(key), reason));
        }

        private void count(String kind, int which) {
            counts.computeIfAbsent(kind, k -> new int[4])[which]++;
        }

        SyncReport report() {
            return new SyncReport(counts("tool"), counts("resource"), counts("template"), counts("prompt"),
                    List.copyOf(skipped));
        }

        private Counts counts(String kind) {
            int[] c = counts.getOrDefault(kind, new int[4]);
            return new Counts(c[0], c[1], c[2], c[3]);
        }
    }
}
