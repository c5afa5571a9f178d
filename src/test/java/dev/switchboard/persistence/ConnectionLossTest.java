package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;

/** A session lost in the middle of a transaction surfaces as DatabaseUnavailableException, and the pool recovers. */
class ConnectionLossTest {

    @EngineTest
    void aSessionKilledMidTransactionIsReportedAsUnavailableAndTheNextWriteSucceeds(TestEngine engine) {
        assumeTrue(engine.engine() != Engine.SQLITE, "SQLite is embedded: there is no connection to lose");
        try (Database db = engine.openMigrated()) {
            String sessionId = switch (engine.engine()) {
                case POSTGRESQL -> "SELECT pg_backend_pid()";
                default -> "SELECT CONNECTION_ID()";
            };
            String kill = switch (engine.engine()) {
                case POSTGRESQL -> "SELECT pg_terminate_backend(%s)";
                default -> "KILL CONNECTION %s";
            };
            assertThatThrownBy(() -> db.transactions().write(dsl -> {
                Object id = dsl.fetchValue(sessionId);
                // Another pooled connection ends this transaction's session, as a failover or a DBA would.
                db.dsl().execute(kill.formatted(id));
                return dsl.fetchValue("SELECT 1");
            })).isInstanceOf(DatabaseUnavailableException.class);

            Object afterwards = db.transactions().write(dsl -> dsl.fetchValue("SELECT 1"));
            assertThat(afterwards).isNotNull();
        }
    }

    @EngineTest
    void readinessGoesDownWhenTheDatabaseStopsAnswering(TestEngine engine) {
        Database db = engine.openMigrated();
        SchemaMigrator migrator = new SchemaMigrator(db);
        assertThat(migrator.status().current()).isTrue();
        db.close();
        assertThatThrownBy(migrator::status).isInstanceOf(DataAccessFailure.class)
                .isNotInstanceOf(UniqueViolationException.class);
    }
}
