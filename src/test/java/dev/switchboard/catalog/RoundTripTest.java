package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.UniqueViolationException;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** Every column type written and read back unchanged, on every engine. */
class RoundTripTest {

    private static final Instant MICROS = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final String UNICODE = "Ünïcødé 工具 ツール 도구 🔧🚀 \u00e9\u0301";

    @EngineTest
    void timestampsKeepTheirMicroseconds(TestEngine engine) {
        Database db = engine.shared();
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(db.transactions());
        UpstreamGateway draft = CatalogSamples.gateway(CatalogSamples.unique("ts"), Set.of());
        UpstreamGateway stored = gateways.create(withLastSeen(draft, MICROS));
        assertThat(gateways.get(stored.id()).lastSeenAt()).isEqualTo(MICROS);

        // The same instant through a plain timestamp column, written and compared in SQL.
        Table<Record> jobs = Columns.table("job_lease");
        Columns c = new Columns(db.dialect());
        Field<String> name = c.text(jobs, "name");
        Field<Instant> next = c.timestamp(jobs, "next_run_at");
        String job = CatalogSamples.unique("job");
        db.transactions().write(dsl -> dsl.insertInto(jobs).set(name, job).set(next, MICROS)
                .set(c.bigint(jobs, "run_count"), 0L).execute());
        Instant read = db.transactions().read(dsl -> dsl.select(next).from(jobs).where(name.eq(job)).fetchOne(next));
        assertThat(read).isEqualTo(MICROS);
        Integer matches = db.transactions().read(dsl -> dsl.fetchCount(jobs, name.eq(job).and(next.eq(MICROS))
                .and(next.lt(MICROS.plusNanos(1000))).and(next.gt(MICROS.minusNanos(1000)))));
        assertThat(matches).isOne();
    }

    @EngineTest
    void uuidsJsonUnicodeBooleansNumbersAndBytesRoundTrip(TestEngine engine) throws Exception {
        Database db = engine.shared();
        ToolRepository tools = new ToolRepository(db.transactions());
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(db.transactions());
        UUID gatewayId = gateways.create(CatalogSamples.gateway(CatalogSamples.unique("gw"), Set.of())).id();

        String schema = tenKilobyteSchema();
        UUID id = UUID.randomUUID();
        String name = CatalogSamples.unique(UNICODE);
        Tool draft = new Tool(id, gatewayId, name, "orig-" + UNICODE, "display " + UNICODE, IntegrationType.MCP,
                UNICODE.repeat(50), schema, "{\"type\":\"string\"}", "{\"readOnlyHint\":true}", null,
                AuthType.HEADER, "secret-" + UNICODE, false, Set.of(UNICODE, "emoji-🚀"), null, null, null, 0);
        Tool stored = tools.create(draft);

        Tool read = tools.get(id);
        assertThat(read.id()).isEqualTo(id);
        assertThat(read.gatewayId()).isEqualTo(gatewayId);
        assertThat(read.name()).isEqualTo(name);
        assertThat(read.originalName()).isEqualTo("orig-" + UNICODE);
        assertThat(read.description()).isEqualTo(UNICODE.repeat(50));
        assertThat(read.authSecret()).isEqualTo("secret-" + UNICODE);
        assertThat(read.enabled()).isFalse();
        assertThat(read.tags()).containsExactlyInAnyOrder(UNICODE, "emoji-🚀");
        // Byte for byte: member order, 1.5e1, escapes and all (PostgreSQL's json, not jsonb, keeps the text).
        assertThat(read.inputSchema()).as("the stored document is the written one").isEqualTo(schema);
        assertThat(read.inputSchema().length()).isGreaterThan(9_000);
        assertThat(read.createdAt()).isEqualTo(stored.createdAt());
        assertThat(read.version()).isEqualTo(1);

        ResourceRepository resources = new ResourceRepository(db.transactions());
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        String uri = "https://example.test/" + UNICODE + "/" + "x".repeat(3000);
        Resource res = resources.create(new Resource(null, null, uri, true, CatalogSamples.unique("bin"), null, null,
                "application/octet-stream", Long.MAX_VALUE, null, everyByte, null, true, Set.of(), null, null, null,
                0));
        Resource readRes = resources.get(res.id());
        assertThat(readRes.binaryContent()).isEqualTo(everyByte);
        assertThat(readRes.sizeBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(readRes.uri()).isEqualTo(uri);
        assertThat(readRes.template()).isTrue();
        assertThat(readRes.textContent()).isNull();
    }

    @EngineTest
    void namesThatDifferOnlyByCaseOrATrailingSpaceAreDistinct(TestEngine engine) {
        Database db = engine.shared();
        ToolRepository tools = new ToolRepository(db.transactions());
        String base = CatalogSamples.unique("case");
        List<String> names = List.of(base, base.toUpperCase(), base + " ", base + "  ");
        for (String n : names) {
            tools.create(CatalogSamples.restTool(n, Set.of()));
        }
        assertThat(names).allSatisfy(n -> assertThat(tools.list(ListQuery.first(500)).items().stream()
                .filter(t -> t.name().equals(n))).hasSize(1));
        assertThatThrownBy(() -> tools.create(CatalogSamples.restTool(base + " ", Set.of())))
                .isInstanceOf(UniqueViolationException.class);

        String tag = CatalogSamples.unique("tag");
        Tool tagged = tools.create(CatalogSamples.restTool(CatalogSamples.unique("tagged"),
                Set.of(tag, tag.toUpperCase(), tag + " ")));
        assertThat(tools.get(tagged.id()).tags()).containsExactlyInAnyOrder(tag, tag.toUpperCase(), tag + " ");
        assertThat(tools.list(ListQuery.first(10).withTag(tag + " ")).items()).extracting(Tool::id)
                .containsExactly(tagged.id());
    }

    @EngineTest
    void aDatabaseWhoseDefaultCharacterSetIsLatin1StillKeepsEveryCharacter(TestEngine engine) {
        try (Database db = Database.open(dev.switchboard.persistence.DatabaseSettings.forUrl(
                engine.newLatin1DatabaseUrl()))) {
            new dev.switchboard.persistence.SchemaMigrator(db).migrate();
            PromptRepository prompts = new PromptRepository(db.transactions());
            Prompt p = prompts.create(new Prompt(null, null, "p-" + UNICODE, null, "d-" + UNICODE, UNICODE, UNICODE,
                    UNICODE, List.of(new Prompt.PromptArgument(UNICODE, UNICODE, true)), true, Set.of(UNICODE), null,
                    null, null, 0));
            Prompt read = prompts.get(p.id());
            assertThat(read.name()).isEqualTo("p-" + UNICODE);
            assertThat(read.displayName()).isEqualTo("d-" + UNICODE);
            assertThat(read.description()).isEqualTo(UNICODE);
            assertThat(read.template()).isEqualTo(UNICODE);
            assertThat(read.arguments()).containsExactly(new Prompt.PromptArgument(UNICODE, UNICODE, true));
            assertThat(read.tags()).containsExactly(UNICODE);
        }
    }

    private static UpstreamGateway withLastSeen(UpstreamGateway g, Instant lastSeen) {
        return new UpstreamGateway(g.id(), g.name(), g.slug(), g.description(), g.transport(), g.url(), g.command(),
                g.commandSecret(),
                g.authType(), g.authSecret(), g.options(), g.protocolVersion(), g.enabled(), g.reachable(), lastSeen,
                g.tags(), null, g.createdAt(), g.updatedAt(), g.version());
    }

    /** A JSON Schema of about 10 kB with nesting, numbers, booleans, nulls, escapes and non-ASCII text. */
    private static String tenKilobyteSchema() {
        StringBuilder props = new StringBuilder();
        for (int i = 0; props.length() < 10_000; i++) {
            if (i > 0) {
                props.append(',');
            }
            props.append("\"field_").append(i).append("\":{\"type\":\"string\",\"description\":\"")
                    .append("línea \\\"").append(i).append("\\\" 说明 ✓\",\"maxLength\":").append(i * 7)
                    .append(",\"nullable\":").append(i % 2 == 0).append(",\"default\":null}");
        }
        return "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\",\"properties\":{"
                + props + "},\"required\":[\"field_0\"],\"minProperties\":1.5e1}";
    }
}
