package dev.switchboard.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** PostgreSQL databases on a given server, or on an embedded one (zonky) whose version the build picks. */
final class PostgresDatabases extends ServerDatabases {

    private final EmbeddedPostgres embedded;

    private PostgresDatabases(String adminUrl, EmbeddedPostgres embedded) {
        super(adminUrl);
        this.embedded = embedded;
    }

    static PostgresDatabases onServer(String adminUrl) {
        return new PostgresDatabases(adminUrl, null);
    }

    static PostgresDatabases embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            return new PostgresDatabases("postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres", pg);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    @Override
    List<String> createUser(String user, String password) {
        return List.of("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
    }

    @Override
    List<String> createDatabase(String name, String user, boolean latin1) {
        // PostgreSQL has no per-database collation trap like MariaDB's; latin1 is a MariaDB concern.
        return List.of("CREATE DATABASE " + name + " OWNER " + user);
    }

    @Override
    List<String> dropDatabase(String name) {
        return List.of("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Override
    List<String> dropUser(String user) {
        return List.of("DROP ROLE IF EXISTS " + user);
    }

    @Override
    String scheme() {
        return "postgresql+psycopg";
    }

    @Override
    void stopServer() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
