package dev.switchboard.testing;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Engine;
import dev.switchboard.persistence.SchemaMigrator;

/**
 * One database engine under test. It hands out fresh, empty databases as DATABASE_URL values whose
 * credentials include URL-encoded characters, and one shared, migrated database for tests that only
 * need a registry to write into.
 */
public final class TestEngine {

    private final Engine engine;
    private final String label;
    private final DatabaseProvider provider;
    private Database shared;

    TestEngine(Engine engine, String label, DatabaseProvider provider) {
        this.engine = engine;
        this.label = label;
        this.provider = provider;
    }

    /** Creates databases on one server (or in one folder, for SQLite). */
    interface DatabaseProvider {
        /** A fresh empty database; returns its DATABASE_URL. */
        String createDatabase(String purpose);

        /** A database whose server-side default character set is latin1, where the engine has such a thing. */
        default String createLatin1Database() {
            return createDatabase("latin1");
        }

        void close();
    }

    public Engine engine() {
        return engine;
    }

    /** "postgresql 15.20", as test reports show it. */
    public String label() {
        return label;
    }

    public String newDatabaseUrl() {
        return provider.createDatabase("t");
    }

    public String newLatin1DatabaseUrl() {
        return provider.createLatin1Database();
    }

    /** Opens a fresh, empty database; the caller closes it. */
    public Database openEmpty() {
        return Database.open(DatabaseSettings.forUrl(newDatabaseUrl()));
    }

    /** Opens a fresh database and migrates it; the caller closes it. */
    public Database openMigrated() {
        Database db = openEmpty();
        new SchemaMigrator(db).migrate();
        return db;
    }

    /** One migrated database per engine for the whole run; tests use unique names to stay out of each other's way. */
    public synchronized Database shared() {
        if (shared == null) {
            shared = openMigrated();
        }
        return shared;
    }

    synchronized void close() {
        if (shared != null) {
            shared.close();
        }
        provider.close();
    }

    @Override
    public String toString() {
        return label;
    }
}
