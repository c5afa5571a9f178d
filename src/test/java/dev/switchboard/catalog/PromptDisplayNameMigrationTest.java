package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Set;

/**
 * Prompts stored before prompts had display names get one when the schema is migrated: the upstream's own name for
 * a federated prompt, the name for one the registry hosts.
 */
class PromptDisplayNameMigrationTest {

    private static final String CHANGESET = "0.1.0-prompt_display_name::switchboard";

    @EngineTest
    void promptsStoredBeforeTheColumnExistedTakeTheUpstreamsOwnName(TestEngine engine) {
        try (Database db = engine.openEmpty()) {
            SchemaMigrator migrator = new SchemaMigrator(db);
            migrator.migrate();
            UpstreamGateway upstream = new UpstreamGatewayRepository(db.transactions())
                    .create(CatalogSamples.gateway(CatalogSamples.unique("old"), Set.of()));
            PromptRepository prompts = new PromptRepository(db.transactions());
            Prompt federated = prompts.create(new Prompt(null, upstream.id(), upstream.slug() + ".greet", "greet",
                    "renamed-later", "Greets", null, null, List.of(), true, Set.of(), null, null, null, 0));
            Prompt hosted = prompts.create(new Prompt(null, null, "hosted-summary", null, "also-renamed", null, null,
                    "Summarize", List.of(), true, Set.of(), null, null, null, 0));

            // Back to the schema before display names (and whatever came after them): the rows stay, the column goes.
            List<String> known = migrator.knownChangesets();
            migrator.rollback(known.size() - known.indexOf(CHANGESET));
            assertThat(migrator.status().pending()).startsWith(CHANGESET);
            migrator.migrate();

            assertThat(prompts.get(federated.id()).displayName()).isEqualTo("greet");
            assertThat(prompts.get(hosted.id()).displayName()).isEqualTo("hosted-summary");
        }
    }
}
