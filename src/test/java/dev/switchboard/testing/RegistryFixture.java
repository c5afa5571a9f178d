package dev.switchboard.testing;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Table;

/**
 * Fills a migrated registry with generated content: every table and every column type, Unicode and emoji,
 * microsecond timestamps, binary content, JSON with nesting and numbers, and names that differ only by case.
 */
public final class RegistryFixture {

    private static final String[] WORDS = {"alpha", "Ünïcødé", "工具", "ツール", "🔧", "Case", "case", "naïve", "x"};
    private static final Instant BASE = Instant.parse("2026-01-02T03:04:05.123456Z");

    private RegistryFixture() {
    }

    /** Writes the catalog through the repositories and {@code metricRows} raw invocation rows; returns rows written. */
    public static void populate(Database db, int scale, int metricRows) {
        Random random = new Random(42);
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(db.transactions());
        ToolRepository tools = new ToolRepository(db.transactions());
        ResourceRepository resources = new ResourceRepository(db.transactions());
        PromptRepository prompts = new PromptRepository(db.transactions());
        VirtualServerRepository servers = new VirtualServerRepository(db.transactions());

        List<UUID> gatewayIds = new ArrayList<>();
        for (int i = 0; i < Math.max(2, scale / 20); i++) {
            gatewayIds.add(gateways.create(new UpstreamGateway(null, "gw-" + i + "-" + word(random), "gw-" + i,
                    "upstream " + word(random), i % 2 == 0 ? Transport.STREAMABLE_HTTP : Transport.STDIO,
                    i % 2 == 0 ? "https://mcp.example/" + i : null,
                    i % 2 == 0 ? null : "{\"command\":\"npx\",\"args\":[\"-y\",\"srv-" + i + "\"],\"env\":{}}", null,
                    AuthType.BEARER, "ciphertext-" + i, "{\"timeoutMs\":" + (1000 + i) + ",\"ratio\":1.5e1}",
                    "2025-11-25", i % 3 != 0, true, BASE.plusSeconds(i).plusNanos(i * 1000L), tags(random),
                    null, null, null, 0)).id());
        }
        UpstreamHealthRepository health = new UpstreamHealthRepository(db.transactions());
        for (int i = 0; i < gatewayIds.size(); i++) {
            if (i % 2 == 0) {
                health.recordSuccess(gatewayIds.get(i), BASE.plusSeconds(60 + i));
            } else {
                health.recordFailure(gatewayIds.get(i), BASE.plusSeconds(60 + i), "unreachable: " + word(random), 3);
            }
        }
        List<UUID> toolIds = new ArrayList<>();
        for (int i = 0; i < scale; i++) {
            UUID gateway = i % 3 == 0 ? gatewayIds.get(i % gatewayIds.size()) : null;
            toolIds.add(tools.create(new Tool(null, gateway, "tool-" + i + "-" + word(random),
                    gateway == null ? null : "orig-" + i, "Display " + word(random) + " " + i,
                    gateway == null ? IntegrationType.REST : IntegrationType.MCP, word(random).repeat(3),
                    "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\",\"maxLength\":" + i
                            + "},\"n\":{\"type\":\"number\",\"default\":0.50}},\"required\":[\"q\"]}",
                    i % 2 == 0 ? "{\"type\":\"string\"}" : null, "{\"readOnlyHint\":" + (i % 2 == 0) + "}",
                    gateway == null ? "{\"method\":\"GET\",\"url\":\"https://api.example/" + i + "/{q}\"}" : null,
                    AuthType.values()[i % AuthType.values().length], i % 4 == 0 ? null : "secret-" + i, i % 5 != 0,
                    tags(random), null, null, null, 0)).id());
        }
        List<UUID> resourceIds = new ArrayList<>();
        for (int i = 0; i < scale / 2; i++) {
            byte[] bytes = new byte[64 + i % 200];
            random.nextBytes(bytes);
            resourceIds.add(resources.create(new Resource(null, i % 4 == 0 ? gatewayIds.getFirst() : null,
                    "file:///docs/" + i + "/" + word(random) + "/" + "p".repeat(i % 700), i % 7 == 0,
                    "res-" + word(random), "Title " + i, word(random), "application/octet-stream",
                    (long) bytes.length * 1_000_000L, i % 2 == 0 ? "text " + word(random) : null,
                    i % 2 == 0 ? null : bytes, null, true, tags(random), null, null, null, 0)).id());
        }
        List<UUID> promptIds = new ArrayList<>();
        for (int i = 0; i < scale / 3; i++) {
            promptIds.add(prompts.create(new Prompt(null, null, "prompt-" + i + "-" + word(random), null, null, "T" + i,
                    word(random), "Hello {{who}} " + word(random),
                    List.of(new Prompt.PromptArgument("who", word(random), true),
                            new Prompt.PromptArgument("tone", null, false)), i % 2 == 0, tags(random), null, null, null,
                    0)).id());
        }
        for (int i = 0; i < Math.max(2, scale / 20); i++) {
            UUID server = servers.create(new VirtualServer(null, "server-" + i + "-" + word(random), word(random),
                    word(random), "https://icons.example/" + i + ".png", true, tags(random), null, null, null, null, null, null, 0)).id();
            servers.setTools(server, sample(random, toolIds, 15));
            servers.setResources(server, sample(random, resourceIds, 5));
            servers.setPrompts(server, sample(random, promptIds, 5));
        }
        writeMetrics(db, random, toolIds, metricRows);
    }

    private static void writeMetrics(Database db, Random random, List<UUID> toolIds, int rows) {
        Columns c = new Columns(db.dialect());
        Table<Record> raw = Columns.table("invocation_metric");
        List<Field<?>> fields = List.of(c.uuid(raw, "id"), c.text(raw, "entity_type"), c.uuid(raw, "entity_id"),
                c.timestamp(raw, "started_at"), c.bigint(raw, "duration_us"), c.bool(raw, "success"),
                c.text(raw, "error_type"));
        int perStatement = Math.max(1, db.dialect().maxBindParameters() / fields.size() / 2);
        for (int start = 0; start < rows; start += perStatement) {
            int first = start;
            int end = Math.min(rows, start + perStatement);
            db.transactions().write(dsl -> {
                InsertValuesStepN<Record> insert = dsl.insertInto(raw, fields);
                for (int i = first; i < end; i++) {
                    boolean ok = random.nextInt(10) > 0;
                    insert = insert.values(UUID.randomUUID(), "tool", toolIds.get(i % toolIds.size()),
                            BASE.plus(i, ChronoUnit.MICROS).plusSeconds(i), (long) random.nextInt(5_000_000), ok,
                            ok ? null : "timeout");
                }
                return insert.execute();
            });
        }
        Table<Record> hourly = Columns.table("invocation_metric_hourly");
        Table<Record> leases = Columns.table("job_lease");
        Table<Record> tokens = Columns.table("api_token");
        db.transactions().write(dsl -> {
            for (int i = 0; i < Math.min(toolIds.size(), 50); i++) {
                dsl.insertInto(hourly).set(c.text(hourly, "entity_type"), "tool")
                        .set(c.uuid(hourly, "entity_id"), toolIds.get(i))
                        .set(c.timestamp(hourly, "hour_start"), BASE.truncatedTo(ChronoUnit.HOURS))
                        .set(c.bigint(hourly, "call_count"), 100L + i).set(c.bigint(hourly, "failure_count"), (long) i)
                        .set(c.bigint(hourly, "duration_sum_us"), 1_000_000L * i)
                        .set(c.bigint(hourly, "duration_max_us"), 90_000L)
                        .set(c.bigint(hourly, "p50_us"), 1_000L).set(c.bigint(hourly, "p95_us"), 9_000L)
                        .set(c.bigint(hourly, "p99_us"), 20_000L)
                        .set(c.json(hourly, "histogram"), "{\"buckets\":[1,2,3],\"le\":[0.001,0.01,1E+1]}")
                        .set(c.timestamp(hourly, "updated_at"), BASE).execute();
                dsl.insertInto(leases).set(c.text(leases, "name"), "health:" + toolIds.get(i))
                        .set(c.timestamp(leases, "next_run_at"), BASE.plusMillis(i))
                        .set(c.text(leases, "lease_owner"), i % 2 == 0 ? null : "replica-" + i)
                        .set(c.bigint(leases, "run_count"), (long) i).execute();
                dsl.insertInto(tokens).set(c.uuid(tokens, "id"), UUID.randomUUID())
                        .set(c.text(tokens, "subject"), "admin").set(c.text(tokens, "name"), "token " + i + " 🔑")
                        .set(c.text(tokens, "token_hash"), String.format("%064x", i))
                        .set(c.json(tokens, "scopes"), "[\"catalog:read\",\"catalog:write\"]")
                        .set(c.timestamp(tokens, "expires_at"), BASE.plusSeconds(86_400L * i))
                        .set(c.timestamp(tokens, "created_at"), BASE).execute();
            }
            return null;
        });
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)] + random.nextInt(1000);
    }

    private static Set<String> tags(Random random) {
        return Set.of("t" + random.nextInt(40), WORDS[random.nextInt(WORDS.length)]);
    }

    private static List<UUID> sample(Random random, List<UUID> ids, int n) {
        List<UUID> picked = new ArrayList<>();
        for (int i = 0; i < n && !ids.isEmpty(); i++) {
            picked.add(ids.get(random.nextInt(ids.size())));
        }
        return picked;
    }
}
