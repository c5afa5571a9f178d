package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies and rolls back the Liquibase changelog under the dialect's migration lock, on a connection of its
 * own: an advisory lock on PostgreSQL, GET_LOCK on MariaDB and MySQL, a file lock on SQLite. Each is
 * released when its holder dies, so a killed migrator never blocks the next start.
 */
public final class SchemaMigrator {

    public static final String CHANGELOG = "db/changelog/switchboard.xml";
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

    static {
        // Liquibase 4.30+ would otherwise try to send usage analytics.
        System.setProperty("liquibase.analytics.enabled", "false");
    }

    /** The changelog is part of the build, so it is parsed once per JVM, on first use. */
    private static volatile List<String> changelog;

    private final Database database;
    private final List<String> known;

    public SchemaMigrator(Database database) {
        this.database = database;
        this.known = changelog();
    }

    private static List<String> changelog() {
        List<String> parsed = changelog;
        if (parsed == null) {
            parsed = parseChangelog();
            changelog = parsed;
        }
        return parsed;
    }

    /** Applies every pending changeset; returns how many were applied. */
    public int migrate() {
        int[] applied = new int[1];
        long started = System.nanoTime();
        underLock(liquibase -> {
            applied[0] = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).size();
            if (applied[0] > 0) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        });
        if (applied[0] > 0) {
            // The duration is what an operator plans a maintenance window by; the benchmark suite reads it too.
            log.info("Schema migrated: {} changeset(s) applied in {} ms", applied[0],
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            log.info("Schema is current ({} changesets)", known.size());
        }
        return applied[0];
    }

    /** Rolls back the last {@code count} applied changesets. */
    public void rollback(int count) {
        underLock(liquibase -> liquibase.rollback(count, (String) null));
        log.info("Schema rolled back by {} changeset(s)", count);
    }

    /** Compares the applied changesets with this build's changelog; cheap enough for every readiness probe. */
    public SchemaStatus status() {
        Set<String> applied = new LinkedHashSet<>();
        try {
            database.transactions().read(dsl -> {
                for (Record r : dsl.resultQuery("SELECT ID, AUTHOR FROM DATABASECHANGELOG")) {
                    applied.add(r.get(0, String.class) + "::" + r.get(1, String.class));
                }
                return null;
            });
        } catch (DataAccessFailure e) {
            if (e instanceof DatabaseUnavailableException || historyTableExists()) {
                throw e;
            }
            // No history table yet: nothing has been applied.
        }
        List<String> pending = known.stream().filter(id -> !applied.contains(id)).toList();
        List<String> unknown = applied.stream().filter(id -> !known.contains(id)).toList();
        return new SchemaStatus(known.size(), pending, unknown);
    }

    /** Asked only after a failed read; JDBC metadata works on every engine version (jOOQ's meta does not). */
    private boolean historyTableExists() {
        return database.transactions().read(dsl -> dsl.connectionResult(c -> {
            try (ResultSet tables = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (tables.next()) {
                    if (tables.getString("TABLE_NAME").equalsIgnoreCase("DATABASECHANGELOG")) {
                        return true;
                    }
                }
                return false;
            }
        }));
    }

    /** The changesets this build carries, in order, as "id::author". */
    public List<String> knownChangesets() {
        return known;
    }

    private interface LiquibaseWork {
        void run(Liquibase liquibase) throws Exception;
    }

    private void underLock(LiquibaseWork work) {
        try (Connection connection = database.openDirectConnection();
             MigrationLock lock = database.dialect().lockMigrations(connection,
                     database.settings().migrationLockTimeout())) {
            ExternalLockService.markHeld(true);
            try {
                inScope(() -> {
                    liquibase.database.Database target = DatabaseFactory.getInstance()
                            .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                    Liquibase liquibase = new Liquibase(CHANGELOG, resources(), target);
                    // The migrator logs its own one-line summary; Liquibase's table would go to standard output.
                    liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                    work.run(liquibase);
                });
            } finally {
                ExternalLockService.markHeld(false);
            }
        } catch (SQLException e) {
            throw new MigrationException("Cannot migrate " + database.target().masked() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> parseChangelog() {
        List<String> ids = new ArrayList<>();
        inScope(() -> {
            ResourceAccessor resources = resources();
            for (ChangeSet cs : ChangeLogParserFactory.getInstance().getParser(CHANGELOG, resources)
                    .parse(CHANGELOG, new ChangeLogParameters(), resources).getChangeSets()) {
                ids.add(cs.getId() + "::" + cs.getAuthor());
            }
        });
        return List.copyOf(ids);
    }

    private static ResourceAccessor resources() {
        return new ClassLoaderResourceAccessor(SchemaMigrator.class.getClassLoader());
    }

    private static void inScope(Scope.ScopedRunner<?> runner) {
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        try {
            Scope.child(scope, runner);
        } catch (MigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("Migration failed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    }
}
