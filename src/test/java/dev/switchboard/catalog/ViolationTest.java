package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.catalog.Prompt.PromptArgument;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.ForeignKeyViolationException;
import dev.switchboard.persistence.UniqueViolationException;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** Unique and foreign-key violations surface as the same exceptions everywhere, and a failed write changes nothing. */
class ViolationTest {

    @EngineTest
    void aDuplicateNameIsAUniqueViolationAndLeavesNoTrace(TestEngine engine) {
        Database db = engine.shared();
        ToolRepository tools = new ToolRepository(db.transactions());
        String name = CatalogSamples.unique("dup");
        String newTag = CatalogSamples.unique("never-created");
        tools.create(CatalogSamples.restTool(name, Set.of("kept")));

        assertThatThrownBy(() -> tools.create(CatalogSamples.restTool(name, Set.of(newTag))))
                .isInstanceOf(UniqueViolationException.class);
        assertThat(tools.list(ListQuery.first(10).withTag(newTag)).items()).isEmpty();
        assertThat(tagExists(db, newTag)).isFalse();
    }

    @EngineTest
    void aFailedUpdateLeavesTheEntryAsItWas(TestEngine engine) {
        Database db = engine.shared();
        ToolRepository tools = new ToolRepository(db.transactions());
        Tool a = tools.create(CatalogSamples.restTool(CatalogSamples.unique("a"), Set.of("one")));
        Tool b = tools.create(CatalogSamples.restTool(CatalogSamples.unique("b"), Set.of()));

        Tool renamed = new Tool(a.id(), null, b.name(), null, "new display", IntegrationType.REST, "changed",
                a.inputSchema(), null, null, null, AuthType.NONE, null, false, Set.of("two"), null, null, null, 0);
        assertThatThrownBy(() -> tools.update(renamed, a.version())).isInstanceOf(UniqueViolationException.class);
        assertThat(tools.get(a.id())).isEqualTo(a);
    }

    @EngineTest
    void aFailureInAChildTableRollsBackTheWholeWrite(TestEngine engine) {
        Database db = engine.shared();
        PromptRepository prompts = new PromptRepository(db.transactions());
        UUID id = UUID.randomUUID();
        Prompt twoArgumentsWithOneName = new Prompt(id, null, CatalogSamples.unique("p"), null, null, null, null, "x",
                List.of(new PromptArgument("same", null, true), new PromptArgument("same", null, false)), true,
                Set.of(), null, null, null, 0);
        assertThatThrownBy(() -> prompts.create(twoArgumentsWithOneName)).isInstanceOf(UniqueViolationException.class);
        assertThat(prompts.find(id)).isEmpty();
    }

    @EngineTest
    void aMissingReferenceIsAForeignKeyViolationAndMembershipsStayAsTheyWere(TestEngine engine) {
        Database db = engine.shared();
        VirtualServerRepository servers = new VirtualServerRepository(db.transactions());
        ToolRepository tools = new ToolRepository(db.transactions());
        VirtualServer server = servers.create(CatalogSamples.server(CatalogSamples.unique("vs"), Set.of()));
        Tool tool = tools.create(CatalogSamples.restTool(CatalogSamples.unique("member"), Set.of()));
        servers.setTools(server.id(), List.of(tool.id()));

        assertThatThrownBy(() -> servers.setTools(server.id(), List.of(UUID.randomUUID())))
                .isInstanceOf(ForeignKeyViolationException.class);
        assertThat(servers.toolIds(server.id())).containsExactly(tool.id());

        Tool orphan = new Tool(null, UUID.randomUUID(), CatalogSamples.unique("orphan"), "o", "o", IntegrationType.MCP,
                null, CatalogSamples.SCHEMA, null, null, null, AuthType.NONE, null, true, Set.of(), null, null, null,
                0);
        assertThatThrownBy(() -> tools.create(orphan)).isInstanceOf(ForeignKeyViolationException.class);
    }

    @EngineTest
    void deletingAnEntryCascadesToItsMembershipsAndTagLinks(TestEngine engine) {
        Database db = engine.shared();
        VirtualServerRepository servers = new VirtualServerRepository(db.transactions());
        ToolRepository tools = new ToolRepository(db.transactions());
        String tag = CatalogSamples.unique("t");
        VirtualServer server = servers.create(CatalogSamples.server(CatalogSamples.unique("vs"), Set.of()));
        Tool tool = tools.create(CatalogSamples.restTool(CatalogSamples.unique("gone"), Set.of(tag)));
        servers.setTools(server.id(), List.of(tool.id()));

        assertThat(tools.delete(tool.id())).isTrue();
        assertThat(tools.delete(tool.id())).isFalse();
        assertThat(servers.toolIds(server.id())).isEmpty();
        assertThat(tools.list(ListQuery.first(10).withTag(tag)).items()).isEmpty();
    }

    private static boolean tagExists(Database db, String tag) {
        Table<Record> tags = Columns.table("tag");
        Field<String> name = new Columns(db.dialect()).text(tags, "name");
        return db.transactions().read(dsl -> dsl.fetchExists(tags, name.eq(tag)));
    }
}
