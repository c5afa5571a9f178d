package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.SchemaModel;
import dev.switchboard.testing.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

class MigrationTest {

    @EngineTest
    void migratesForwardRollsBackCompletelyAndMigratesForwardAgain(TestEngine engine) throws Exception {
        try (Database db = engine.openEmpty()) {
            SchemaMigrator migrator = new SchemaMigrator(db);
            assertThat(migrator.status().pending()).hasSize(migrator.knownChangesets().size());

            assertThat(migrator.migrate()).isEqualTo(migrator.knownChangesets().size());
            assertThat(migrator.status().current()).isTrue();
            String first = model(db);

            migrator.rollback(migrator.knownChangesets().size());
            assertThat(migrator.status().pending()).hasSize(migrator.knownChangesets().size());
            assertThat(SchemaModel.read(db, engine.engine()).tables()).isEmpty();

            migrator.migrate();
            assertThat(migrator.status().current()).isTrue();
            assertThat(model(db)).isEqualTo(first);
        }
    }

    @EngineTest
    void schemaReadBackThroughJdbcMatchesTheOneModelOfEveryEngine(TestEngine engine) throws Exception {
        try (Database db = engine.openMigrated()) {
            String actual = model(db);
            if (!actual.equals(expectedModel())) {
                // Left for a diff against src/test/resources/schema-model.txt.
                Files.writeString(Path.of("target", "schema-model-" + engine.engine().id() + ".txt"), actual);
            }
            assertThat(actual).isEqualTo(expectedModel());
        }
    }

    @EngineTest
    void migratingACurrentSchemaAppliesNothing(TestEngine engine) {
        try (Database db = engine.openMigrated()) {
            assertThat(new SchemaMigrator(db).migrate()).isZero();
        }
    }

    private static String model(Database db) throws SQLException {
        return SchemaModel.read(db, db.server().engine()).render();
    }

    private static String expectedModel() throws IOException {
        try (InputStream in = MigrationTest.class.getResourceAsStream("/schema-model.txt")) {
            return in == null ? "(src/test/resources/schema-model.txt is missing)"
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
