package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's database: the engine found on the live connection, its dialect, the pool, and the jOOQ
 * context over it. Opening one checks the URL, the connection and the engine's version before anything
 * else starts, and fails with a {@link DatabaseStartupException} that an operator can act on.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int WRITE_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(20);
    /** How long opening a direct connection is tried again while the database is busy. */
    private static final Duration OPEN_PATIENCE = Duration.ofSeconds(10);
    private static final Duration MAX_OPEN_BACKOFF = Duration.ofMillis(200);

    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    private final DatabaseSettings settings;
    private final ConnectionTarget target;
    private final ServerInfo server;
    private final EngineDialect dialect;
    private final HikariConfig poolConfig;
    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final Transactions transactions;

    private Database(DatabaseSettings settings, ConnectionTarget target, ServerInfo server) {
        this.settings = settings;
        this.target = target;
        this.server = server;
        this.dialect = EngineDialect.of(server.engine());
        this.poolConfig = poolConfig(settings, target, server, dialect);
        this.dataSource = new HikariDataSource(poolConfig);
        this.dsl = DSL.using(dataSource, dialect.sqlDialect(),
                new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED));
        this.transactions = new Transactions(dsl, dialect, WRITE_ATTEMPTS, FIRST_BACKOFF);
    }

    /** Parses the URL, connects once to learn the engine and its version, and starts the pool. */
    public static Database open(DatabaseSettings settings) {
        ConnectionTarget target = DatabaseUrl.parse(settings.url());
        if (settings.password() != null) {
            target = target.withPassword(settings.password());
        }
        if (target.sqliteFile() != null) {
            createParentDirectory(target.sqliteFile());
        }
        ServerInfo server;
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.driverProperties())) {
            server = EngineDialect.of(target.family()).detect(connection);
        } catch (SQLException e) {
            throw new DatabaseStartupException("Cannot connect to the database at " + target.masked() + ": "
                    + oneLine(e.getMessage()));
        }
        requireSupported(server, target);
        Database database = new Database(settings, target, server);
        log.info("Database: {} {} at {}", server.engine().displayName(), server.version(), target.masked());
        return database;
    }

    /** Refuses a server older than the oldest version Switchboard supports for its engine. */
    static void requireSupported(ServerInfo server, ConnectionTarget target) {
        EngineVersion minimum = server.engine().minimumVersion();
        if (server.version().isBefore(minimum)) {
            throw new DatabaseStartupException(server.engine().displayName() + " " + server.version()
                    + " at " + target.masked() + " is older than the oldest supported version, " + minimum
                    + "; upgrade the server");
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, ConnectionTarget target, ServerInfo server,
                                           Dialect dialect) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard");
        config.setJdbcUrl(target.jdbcUrl());
        config.setDataSourceProperties(target.driverProperties());
        int size = settings.poolSize() != null ? settings.poolSize() : dialect.defaultPoolSize();
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(settings.minIdle() != null ? Math.min(settings.minIdle(), size) : size);
        config.setConnectionTimeout(settings.poolTimeout().toMillis());
        config.setMaxLifetime(settings.maxLifetime().toMillis());
        config.setIdleTimeout(settings.idleTimeout().toMillis());
        // Fail fast at startup is done by the dialect's detect; the pool may start while the server blips.
        config.setInitializationFailTimeout(-1);
        dialect.configurePool(config, server);
        return config;
    }

    private static void createParentDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DatabaseStartupException("Cannot create the directory " + parent + " for the SQLite database: "
                    + e.getMessage());
        }
    }

    private static String oneLine(String text) {
        return text == null ? "(no message)" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /**
     * A connection outside the pool, configured like the pool's, for work that must own its session:
     * migrations hold their lock for the life of the connection. Opening is tried again while the engine says it is
     * busy, for up to {@link #OPEN_PATIENCE}: SQLite fails a connection that sets the journal mode while another
     * connection sets it up too (two migrators starting together on a new file) at once, without waiting out its busy
     * timeout.
     */
    public Connection openDirectConnection() throws SQLException {
        long deadline = System.nanoTime() + OPEN_PATIENCE.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                return openDirectConnectionOnce();
            } catch (SQLException e) {
                if (dialect.classify(e) != DatabaseError.RETRYABLE || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while the database was busy", e);
            }
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(MAX_OPEN_BACKOFF) > 0 ? MAX_OPEN_BACKOFF : doubled;
        }
    }

    private Connection openDirectConnectionOnce() throws SQLException {
        Properties props = new Properties();
        props.putAll(poolConfig.getDataSourceProperties());
        Connection connection = DriverManager.getConnection(target.jdbcUrl(), props);
        try {
            if (poolConfig.getConnectionInitSql() != null) {
                try (Statement st = connection.createStatement()) {
                    st.execute(poolConfig.getConnectionInitSql());
                }
            }
            if (poolConfig.getTransactionIsolation() != null) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** A connection exactly as the server hands it out, without Switchboard's settings: for inspecting defaults. */
    public Connection openUnconfiguredConnection() throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.driverProperties());
    }

    /**
     * The database file, when the database is one this process opens itself ({@link Dialect#embedded()});
     * empty for a server, and for an embedded database that lives only in memory.
     */
    public Optional<Path> embeddedFile() {
        if (!dialect.embedded() || target.sqliteFile() == null) {
            return Optional.empty();
        }
        return Optional.of(target.sqliteFile().toAbsolutePath().normalize());
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public ConnectionTarget target() {
        return target;
    }

    public ServerInfo server() {
        return server;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The dialect with what only persistence asks of an engine: the doctor's checks. */
    EngineDialect engineDialect() {
        return dialect;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public DSLContext dsl() {
        return dsl;
    }

    public Transactions transactions() {
        return transactions;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
