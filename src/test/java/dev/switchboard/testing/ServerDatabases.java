package dev.switchboard.testing;

import dev.switchboard.persistence.ConnectionTarget;
import dev.switchboard.persistence.DatabaseUrl;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Databases created on a server through an administrator's connection, each owned by this run's own user
 * (whose password needs URL encoding), and dropped with that user at the end of the run.
 */
abstract class ServerDatabases implements TestEngine.DatabaseProvider {

    final ConnectionTarget admin;
    final String host;
    final int port;
    /** The admin URL's driver options ("?allowPublicKeyRetrieval=true" for MySQL 8), carried to every test database. */
    private final String options;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<String> created = new ArrayList<>();
    private boolean userCreated;

    ServerDatabases(String adminUrl) {
        this.admin = DatabaseUrl.parse(adminUrl);
        URI location = URI.create(admin.jdbcUrl().substring("jdbc:".length()));
        this.host = location.getHost();
        this.port = location.getPort();
        this.options = adminUrl.startsWith("jdbc:") || adminUrl.indexOf('?') < 0 ? "" : adminUrl.substring(adminUrl.indexOf('?'));
    }

    /** Statements that create this run's user. */
    abstract List<String> createUser(String user, String password);

    /** Statements that create a database owned by (or granted to) the user. */
    abstract List<String> createDatabase(String name, String user, boolean latin1);

    abstract List<String> dropDatabase(String name);

    abstract List<String> dropUser(String user);

    /** The URL scheme users would write, e.g. "postgresql+psycopg". */
    abstract String scheme();

    /** Stops an embedded server, if this provider started one. */
    abstract void stopServer();

    @Override
    public synchronized String createDatabase(String purpose) {
        return create(purpose, false);
    }

    @Override
    public synchronized String createLatin1Database() {
        return create("latin1", true);
    }

    private String create(String purpose, boolean latin1) {
        String user = TestCredentials.RUN;
        String name = TestCredentials.RUN + "_" + purpose + "_" + counter.incrementAndGet();
        if (!userCreated) {
            execute(createUser(user, TestCredentials.PASSWORD));
            userCreated = true;
        }
        execute(createDatabase(name, user, latin1));
        created.add(name);
        return scheme() + "://" + user + ":" + TestCredentials.encodedPassword() + "@" + host + ":" + port + "/" + name + options;
    }

    @Override
    public synchronized void close() {
        try {
            for (String name : created) {
                execute(dropDatabase(name));
            }
            if (userCreated) {
                execute(dropUser(TestCredentials.RUN));
            }
        } catch (RuntimeException e) {
            System.err.println("Could not clean up test databases: " + e.getMessage());
        } finally {
            stopServer();
        }
    }

    void execute(List<String> statements) {
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.driverProperties());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + admin.masked() + ": " + e.getMessage(), e);
        }
    }
}
