package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import tools.jackson.databind.JsonNode;

/** Hourly rollups and their retention, and GET /v1/metrics, on every engine, each on a gateway of its own. */
class InvocationMetricsTest {

    private static final Map<String, GatewayUnderTest> GATEWAYS = new ConcurrentHashMap<>();

    private static GatewayUnderTest gateway(TestEngine engine) {
        return GATEWAYS.computeIfAbsent(engine.label(), k -> GatewayUnderTest.start(engine.newDatabaseUrl(),
                Map.of("SWITCHBOARD_METRICS_FLUSH_INTERVAL", "PT0.1S")));
    }

    @AfterAll
    static void close() {
        GATEWAYS.values().forEach(GatewayUnderTest::close);
    }

    @EngineTest
    void rollupsCountAndRankEachHourIdempotentlyAndRetentionDeletesOldRows(TestEngine engine) {
        GatewayUnderTest gateway = gateway(engine);
        InvocationMetricRepository raw = gateway.bean(InvocationMetricRepository.class);
        HourlyRollupRepository hourly = gateway.bean(HourlyRollupRepository.class);
        InvocationRollupJob job = gateway.bean(InvocationRollupJob.class);
        // A clock far ahead of the other test's rows (which are near the real now), at half past an hour.
        Instant current = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(400));
        Instant now = current.plus(Duration.ofMinutes(30));
        Instant previous = current.minus(Duration.ofHours(1));
        UUID tool = UUID.randomUUID();
        UUID prompt = UUID.randomUUID();
        UUID old = UUID.randomUUID();
        List<Invocation> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            rows.add(row(EntityType.TOOL, tool, previous.plusSeconds(i * 30), i * 1000L, i % 10 != 0));
        }
        for (int i = 1; i <= 3; i++) {
            rows.add(row(EntityType.TOOL, tool, current.plusSeconds(i), 7000, true));
        }
        rows.add(row(EntityType.PROMPT, prompt, previous.plusSeconds(5), 250, false));
        for (int i = 0; i < 5; i++) {
            rows.add(row(EntityType.RESOURCE, old, now.minus(Duration.ofDays(8)).plusSeconds(i), 10, true));
        }
        raw.insert(rows);
        UUID ancient = UUID.randomUUID();
        LatencyHistogram h = new LatencyHistogram();
        h.add(5);
        hourly.save(List.of(new HourlyRollupRepository.Rollup(EntityType.TOOL, ancient,
                current.minus(Duration.ofDays(100)), 1, 0, 5, 5, 5, 5, 5, h)), now);

        job.clock(Clock.fixed(now, ZoneOffset.UTC));
        try {
            job.run();
            Map<String, HourlyRollupRepository.Rollup> first = rollups(hourly, now);
            HourlyRollupRepository.Rollup hour = first.get(tool + "@" + previous);
            assertThat(hour.calls()).isEqualTo(100);
            assertThat(hour.failures()).isEqualTo(10);
            assertThat(hour.sumUs()).isEqualTo(5_050_000);
            assertThat(hour.maxUs()).isEqualTo(100_000);
            assertThat(List.of(hour.p50Us(), hour.p95Us(), hour.p99Us())).containsExactly(50_000L, 95_000L, 99_000L);
            assertThat(hour.histogram().count()).isEqualTo(100);
            assertThat(first.get(tool + "@" + current).calls()).isEqualTo(3);
            assertThat(first.get(tool + "@" + current).p99Us()).isEqualTo(7000);
            assertThat(first.get(prompt + "@" + previous).failures()).isEqualTo(1);
            // Raw rows past their retention are deleted without being rolled up; so are rollups past theirs.
            assertThat(first.keySet()).noneMatch(k -> k.startsWith(old.toString()) || k.startsWith(ancient.toString()));
            assertThat(first).hasSize(3);
            assertThat(count(raw, now, old)).isZero();
            assertThat(count(raw, now, tool)).isEqualTo(103);

            // Again: the same rows. Then a row flushed late into the previous hour is counted by the next run.
            job.run();
            assertThat(summary(rollups(hourly, now))).isEqualTo(summary(first));
            raw.insert(List.of(row(EntityType.TOOL, tool, previous.plusSeconds(3599), 200_000, true)));
            job.run();
            HourlyRollupRepository.Rollup late = rollups(hourly, now).get(tool + "@" + previous);
            assertThat(late.calls()).isEqualTo(101);
            assertThat(late.maxUs()).isEqualTo(200_000);
        } finally {
            job.clock(Clock.systemUTC());
            // Leave nothing in the future for the report test to stumble on.
            raw.deleteBefore(now.plus(Duration.ofDays(1)), 1000);
            hourly.deleteBefore(now.plus(Duration.ofDays(1)));
        }
    }

    @EngineTest
    void theReportGivesCountsFailureRatesAndPercentilesPerEntityWithNames(TestEngine engine) {
        GatewayUnderTest gateway = gateway(engine);
        InvocationMetricRepository raw = gateway.bean(InvocationMetricRepository.class);
        String name = "timed-" + UUID.randomUUID().toString().substring(0, 8);
        UUID tool = UUID.fromString(gateway.admin().post("/v1/tools", Map.of("name", name,
                "inputSchema", Map.of("type", "object"),
                "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id());
        UUID gone = UUID.randomUUID();
        Instant now = Instant.now();
        List<Invocation> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            rows.add(row(EntityType.TOOL, tool, now.minus(Duration.ofMinutes(10)).plusMillis(i), i * 1000L, i > 25));
        }
        rows.add(row(EntityType.PROMPT, gone, now.minus(Duration.ofMinutes(10)), 3000, true));
        raw.insert(rows);

        JsonNode report = ok(gateway.admin().get("/v1/metrics"));
        JsonNode line = item(report, tool);
        assertThat(line.get("entityType").asString()).isEqualTo("tool");
        assertThat(line.get("name").asString()).isEqualTo(name);
        assertThat(line.get("count").asLong()).isEqualTo(100);
        assertThat(line.get("failures").asLong()).isEqualTo(25);
        assertThat(line.get("failureRate").asDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(line.get("p50Ms").asDouble()).isEqualTo(50.0);
        assertThat(line.get("p95Ms").asDouble()).isEqualTo(95.0);
        assertThat(line.get("p99Ms").asDouble()).isEqualTo(99.0);
        assertThat(line.get("approximate").asBoolean()).isFalse();
        assertThat(item(report, gone).get("name").isNull()).isTrue();

        // Filters: by kind, and by a window that starts after the rows.
        assertThat(item(ok(gateway.admin().get("/v1/metrics?entityType=prompt")), tool)).isNull();
        assertThat(item(ok(gateway.admin().get("/v1/metrics?entityType=tool&since=PT1M")), tool)).isNull();
        assertThat(item(ok(gateway.withScopes("catalog:read").get("/v1/metrics?since="
                + now.minus(Duration.ofHours(1)))), tool).get("count").asLong()).isEqualTo(100);

        // Hours older than the raw retention come from rollups: merged, with estimated percentiles.
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 10; i++) {
            h.add(400_000);
        }
        Instant oldHour = now.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS);
        gateway.bean(HourlyRollupRepository.class).save(List.of(new HourlyRollupRepository.Rollup(EntityType.TOOL,
                tool, oldHour, 10, 10, 4_000_000, 400_000, 400_000, 400_000, 400_000, h)), now);
        JsonNode merged = item(ok(gateway.admin().get("/v1/metrics?since=P30D")), tool);
        assertThat(merged.get("count").asLong()).isEqualTo(110);
        assertThat(merged.get("failures").asLong()).isEqualTo(35);
        assertThat(merged.get("approximate").asBoolean()).isTrue();
        assertThat(merged.get("p99Ms").asDouble()).isEqualTo(400.0);
        assertThat(merged.get("p50Ms").asDouble()).isBetween(50.0, 50.0 * 1.19);
        assertThat(item(ok(gateway.admin().get("/v1/metrics?since=P1D")), tool).get("count").asLong())
                .isEqualTo(100);
    }

    @EngineTest
    void aMemberSeesTheFiguresOfTheirTeamsEntriesOnly(TestEngine engine) {
        GatewayUnderTest gateway = gateway(engine);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String team = gateway.admin().post("/v1/teams", Map.of("name", "figures-" + run)).id();
        String user = gateway.admin().post("/v1/users", Map.of("username", "counter-" + run,
                "password", "a-long-enough-password")).id();
        assertThat(gateway.admin().put("/v1/teams/" + team + "/members/" + user, Map.of("role", "viewer"), null)
                .status()).isEqualTo(200);
        Map<String, Object> request = Map.of("method", "GET", "url", "http://127.0.0.1:9/");
        UUID theirs = UUID.fromString(gateway.admin().post("/v1/tools", Map.of("name", "theirs-" + run,
                "teamId", team, "request", request)).id());
        UUID others = UUID.fromString(gateway.admin().post("/v1/tools", Map.of("name", "others-" + run,
                "request", request)).id());
        UUID theirServer = UUID.fromString(gateway.admin().post("/v1/servers", Map.of("name", "their-server-" + run,
                "teamId", team)).id());
        UUID otherServer = UUID.fromString(gateway.admin().post("/v1/servers", Map.of("name", "other-server-" + run))
                .id());
        UUID gone = UUID.randomUUID();
        Instant at = Instant.now().minus(Duration.ofMinutes(5));
        gateway.bean(InvocationMetricRepository.class).insert(List.of(row(EntityType.TOOL, theirs, at, 1000, true),
                row(EntityType.TOOL, others, at, 1000, true), row(EntityType.TOOL, gone, at, 1000, true),
                row(EntityType.SERVER, theirServer, at, 1000, false), row(EntityType.SERVER, otherServer, at, 1000,
                        true)));

        JsonNode all = ok(gateway.admin().get("/v1/metrics"));
        assertThat(List.of(theirs, others, gone, theirServer, otherServer))
                .allSatisfy(id -> assertThat(item(all, id)).isNotNull());
        JsonNode servers = ok(gateway.admin().get("/v1/metrics?entityType=server"));
        assertThat(servers.get("items").valueStream().map(i -> i.get("entityType").asString()))
                .containsOnly("server");
        assertThat(item(servers, otherServer).get("name").asString()).isEqualTo("other-server-" + run);
        JsonNode member = ok(gateway.as("counter-" + run, "catalog:read").get("/v1/metrics"));
        assertThat(item(member, theirs).get("count").asLong()).isEqualTo(1);
        assertThat(item(member, theirServer).get("failures").asLong()).isEqualTo(1);
        assertThat(item(member, others)).isNull();
        assertThat(item(member, otherServer)).isNull();
        assertThat(item(member, gone)).isNull();
    }

    @EngineTest
    void badParametersAre400AndTheReportNeedsTheCatalogReadScope(TestEngine engine) {
        GatewayUnderTest gateway = gateway(engine);
        for (String query : List.of("since=yesterday", "since=PT-1H", "since=2999-01-01T00:00:00Z", "since=P0D",
                "entityType=gateway")) {
            Reply reply = gateway.admin().get("/v1/metrics?" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.problemType()).endsWith("malformed-request");
            assertThat(reply.json().get("field").asString()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
        assertThat(gateway.anonymous().get("/v1/metrics").status()).isEqualTo(401);
        assertThat(gateway.withScopes("mcp:use").get("/v1/metrics").status()).isEqualTo(403);
        JsonNode api = ok(gateway.admin().get("/openapi.json"));
        assertThat(api.at("/paths/~1v1~1metrics/get/parameters").valueStream().map(p -> p.get("name").asString()))
                .contains("since", "entityType");
    }

    private static Invocation row(EntityType type, UUID id, Instant at, long us, boolean success) {
        return new Invocation(UUID.randomUUID(), type, id, at.truncatedTo(ChronoUnit.MICROS), us, success,
                success ? null : "error_result");
    }

    private static Map<String, HourlyRollupRepository.Rollup> rollups(HourlyRollupRepository hourly, Instant now) {
        Map<String, HourlyRollupRepository.Rollup> found = new java.util.TreeMap<>();
        hourly.forEach(now.minus(Duration.ofDays(400)), now.plus(Duration.ofDays(1)), null,
                r -> found.put(r.entityId() + "@" + r.hourStart(), r));
        return found;
    }

    /** The rollups without their histogram objects (compared by their buckets instead). */
    private static Map<String, String> summary(Map<String, HourlyRollupRepository.Rollup> rollups) {
        Map<String, String> s = new java.util.TreeMap<>();
        rollups.forEach((k, r) -> s.put(k, List.of(r.calls(), r.failures(), r.sumUs(), r.maxUs(), r.p50Us(), r.p95Us(),
                r.p99Us()) + " " + r.histogram().buckets()));
        return s;
    }

    private static long count(InvocationMetricRepository raw, Instant now, UUID entity) {
        long[] n = {0};
        raw.forEach(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(1)), null, r -> {
            if (r.entityId().equals(entity)) {
                n[0]++;
            }
        });
        return n[0];
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode item(JsonNode report, UUID id) {
        return StreamSupport.stream(report.get("items").spliterator(), false)
                .filter(i -> i.get("entityId").asString().equals(id.toString())).findFirst().orElse(null);
    }
}
