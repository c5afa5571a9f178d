package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.settings.SettingsBinding;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog cache on every engine: a request reads nothing while nothing changed, sees this process's writes at
 * once, and sees another replica's within the poll interval, or at once when asked to check.
 */
class CatalogCacheTest {

    @EngineTest
    void keepsOneSnapshotUntilTheCatalogChanges(TestEngine engine) {
        try (Database db = engine.openMigrated()) {
            CatalogCache cache = cache(db.transactions(), "PT1M");
            ToolRepository tools = new ToolRepository(db.transactions());
            Tool first = tools.create(CatalogSamples.restTool("cached-a", Set.of()));

            CatalogSnapshot snapshot = cache.current();
            assertThat(names(snapshot)).containsExactly("cached-a");
            assertThat(cache.current()).as("nothing was written").isSameAs(snapshot);
            assertThat(cache.current().tools()).as("read once").isSameAs(snapshot.tools());

            // A write that changes no entry: the revision is read again, and the snapshot stands.
            db.transactions().write(dsl -> dsl.selectOne().fetch());
            assertThat(cache.current()).isSameAs(snapshot);

            tools.create(CatalogSamples.restTool("cached-b", Set.of()));
            assertThat(names(cache.current())).as("this process's write, at once").containsExactly("cached-a",
                    "cached-b");
            tools.setEnabled(first.id(), false);
            assertThat(names(cache.current())).containsExactly("cached-b");
            assertThat(cache.current().tool("cached-a")).as("a disabled tool is not found by name").isEmpty();
            assertThat(cache.current().tool("cached-b")).isPresent();
        }
    }

    @EngineTest
    void seesAnotherReplicasWriteWhenItChecksOrWithinThePollInterval(TestEngine engine) {
        try (Database db = engine.openMigrated(); Database replica = Database.open(db.settings())) {
            CatalogCache patient = cache(db.transactions(), "PT1M");
            CatalogCache eager = cache(db.transactions(), "50ms");
            assertThat(names(patient.current())).isEmpty();
            assertThat(names(eager.current())).isEmpty();

            new ToolRepository(replica.transactions()).create(CatalogSamples.restTool("elsewhere", Set.of()));

            assertThat(names(patient.current())).as("within the poll interval, unseen").isEmpty();
            assertThat(names(patient.checked())).containsExactly("elsewhere");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (names(eager.current()).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(names(eager.current())).as("after the poll interval").containsExactly("elsewhere");
        }
    }

    private static CatalogCache cache(Transactions tx, String pollInterval) {
        return new CatalogCache(tx, new CatalogRevision(tx), new ToolRepository(tx), new ResourceRepository(tx),
                new PromptRepository(tx), new UpstreamGatewayRepository(tx), new VirtualServerRepository(tx),
                new UpstreamHealthRepository(tx), SettingsBinding.bind(CatalogSettings.class,
                        Map.of("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", pollInterval)::get));
    }

    private static List<String> names(CatalogSnapshot snapshot) {
        return snapshot.tools().stream().map(Tool::name).toList();
    }
}
