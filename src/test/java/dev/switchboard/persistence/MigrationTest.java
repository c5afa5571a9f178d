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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

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

    /**
     * A database made while the json type property was jsonb on PostgreSQL (the two latest changesets rolled back
     * leave it so) migrates to json columns: the schema then matches the model on every engine, and a document
     * stored as jsonb keeps the text jsonb made of it (that spelling was lost when it was stored).
     */
    @EngineTest
    void jsonbColumnsOfOlderDatabasesBecomeJsonAndKeepTheirDocuments(TestEngine engine) throws Exception {
        try (Database db = engine.openEmpty()) {
            SchemaMigrator migrator = new SchemaMigrator(db);
            migrator.migrate();
            // 0.1.0-mcp_session_principal_hash, 0.1.0-login_failure, 0.1.0-replica, 0.1.0-mcp_session_event,
            // 0.1.0-mcp_session, 0.1.0-entry_teams, 0.1.0-server_access, 0.1.0-team, 0.1.0-api_token_servers,
            // 0.1.0-app_user, 0.1.0-audit_event, 0.1.0-instructions, 0.1.0-json_as_written
            migrator.rollback(13);
            boolean postgres = engine.engine() == Engine.POSTGRESQL;
            assertThat(jsonColumnTypes(db, Set.of("mcp_session", "audit_event", "api_token.servers",
                    "virtual_server.policy"))).hasSize(17)
                    .allMatch(type -> !postgres || type.equals("jsonb"));
            try (Connection c = db.openDirectConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO api_token (id, subject, name, token_hash, scopes, expires_at, created_at)"
                        + " VALUES ('" + UUID.randomUUID() + "', 'alice', 'old', '" + "a".repeat(64) + "', "
                        + "'{\"b\":1,\"a\":1.50e1}', " + (engine.engine() == Engine.SQLITE
                        ? "'2030-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'"
                        : "'2030-01-01 00:00:00', '2026-01-01 00:00:00'") + ")");
            }

            assertThat(migrator.migrate()).isEqualTo(13);
            assertThat(model(db)).isEqualTo(expectedModel());
            assertThat(jsonColumnTypes(db, Set.of())).hasSize(24).allMatch(type -> !postgres || type.equals("json"));
            try (Connection c = db.openDirectConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT scopes FROM api_token WHERE name = 'old'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(postgres ? "{\"a\": 15.0, \"b\": 1}" : "{\"b\":1,\"a\":1.50e1}");
            }
        }
    }

    /**
     * A registry from before teams upgrades without a manual step and nothing stops working: its virtual servers and
     * other entries go to the default team, which the migration makes, and servers become public; its API tokens keep
     * their owner and scopes.
     */
    @EngineTest
    void entriesOfARegistryFromBeforeTeamsGoToTheDefaultTeamAndServersStayPublic(TestEngine engine) throws Exception {
        try (Database db = engine.openEmpty()) {
            SchemaMigrator migrator = new SchemaMigrator(db);
            migrator.migrate();
            // 0.1.0-mcp_session_principal_hash, 0.1.0-login_failure, 0.1.0-replica, 0.1.0-mcp_session_event,
            // 0.1.0-mcp_session, 0.1.0-entry_teams, 0.1.0-server_access
            migrator.rollback(7);
            UUID server = UUID.randomUUID();
            UUID tool = UUID.randomUUID();
            String now = engine.engine() == Engine.SQLITE ? "'2026-01-01T00:00:00.000000Z'" : "'2026-01-01 00:00:00'";
            try (Connection c = db.openDirectConnection(); Statement st = c.createStatement()) {
                assertThat(count(st, "SELECT COUNT(*) FROM team")).isZero();
                st.executeUpdate("INSERT INTO virtual_server (id, name, enabled, created_at, updated_at, version) "
                        + "VALUES ('" + server + "', 'from-before', " + (engine.engine() == Engine.POSTGRESQL
                        ? "TRUE" : "1") + ", " + now + ", " + now + ", 3)");
                st.executeUpdate("INSERT INTO tool (id, name, display_name, integration_type, input_schema, auth_type, "
                        + "enabled, created_at, updated_at, version) VALUES ('" + tool + "', 'old-tool', 'old-tool', "
                        + "'rest', '{\"type\":\"object\"}', 'none', " + (engine.engine() == Engine.POSTGRESQL
                        ? "TRUE" : "1") + ", " + now + ", " + now + ", 2)");
                st.executeUpdate("INSERT INTO api_token (id, subject, name, token_hash, scopes, expires_at, created_at)"
                        + " VALUES ('" + UUID.randomUUID() + "', 'admin', 'old', '" + "b".repeat(64) + "', "
                        + "'[\"mcp:use\"]', " + now + ", " + now + ")");
            }

            assertThat(migrator.migrate()).isEqualTo(7);
            try (Connection c = db.openDirectConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT name FROM team WHERE id = "
                        + "'00000000-0000-0000-0000-000000000001'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("default");
                }
                try (ResultSet rs = st.executeQuery("SELECT team_id, visibility, version FROM virtual_server "
                        + "WHERE id = '" + server + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("00000000-0000-0000-0000-000000000001");
                    assertThat(rs.getString(2)).isEqualTo("public");
                    assertThat(rs.getLong(3)).isEqualTo(3);
                }
                assertThat(count(st, "SELECT COUNT(*) FROM virtual_server_share")).isZero();
                try (ResultSet rs = st.executeQuery("SELECT team_id, version FROM tool WHERE id = '" + tool + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("00000000-0000-0000-0000-000000000001");
                    assertThat(rs.getLong(2)).isEqualTo(2);
                }
                try (ResultSet rs = st.executeQuery("SELECT subject, scopes FROM api_token WHERE name = 'old'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("admin");
                    assertThat(rs.getString(2)).isEqualTo("[\"mcp:use\"]");
                }
            }
            assertThat(model(db)).isEqualTo(expectedModel());
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The database's own type names of the registry's JSON columns (PostgreSQL's: json or jsonb), but those of
     * {@code absent}, tables (or table.column) a rollback removed.
     */
    private static List<String> jsonColumnTypes(Database db, Set<String> absent) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Connection c = db.openDirectConnection()) {
            for (RegistrySchema.Table table : RegistrySchema.tables()) {
                for (RegistrySchema.Column column : table.columns()) {
                    if (column.kind().equals("json") && !absent.contains(table.name())
                            && !absent.contains(table.name() + "." + column.name())) {
                        try (ResultSet rs = c.getMetaData().getColumns(null, null, table.name(), column.name())) {
                            assertThat(rs.next()).as(table.name() + "." + column.name()).isTrue();
                            types.add(rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        return types;
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
