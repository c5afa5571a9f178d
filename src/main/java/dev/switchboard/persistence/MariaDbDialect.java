package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import dev.switchboard.persistence.DatabaseDoctor.Verdict;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.InsertOnDuplicateStep;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;

/** MariaDB 10.6 and newer; {@link MySqlDialect} adapts it to MySQL 8. */
class MariaDbDialect extends EngineDialect {

    /** DATETIME(6) holding UTC, bound as text so that neither the driver nor the JVM applies a time zone. */
    static final DataType<Instant> TIMESTAMP = SharedDialectParts.instantAsText("yyyy-MM-dd", ' ', "");
    /** The error codes MariaDB and MySQL share. */
    static final EngineFacts.ErrorCodes ERROR_CODES = EngineFacts.ErrorCodes.NONE
            .codes(DatabaseError.UNIQUE_VIOLATION, 1062, 1586)
            .codes(DatabaseError.FOREIGN_KEY_VIOLATION, 1451, 1452, 1216, 1217)
            // 1213 is also what a Galera certification failure reports.
            .codes(DatabaseError.RETRYABLE, 1213, 1205)
            .codes(DatabaseError.CONNECTION_LOST, 1927, 2006, 2013);

    MariaDbDialect() {
        this(new EngineFacts(Engine.MARIADB, SQLDialect.MARIADB,
                SharedDialectParts.UUID_AS_TEXT, TIMESTAMP, SharedDialectParts.JSON_AS_TEXT,
                false, false, // embedded, single writer
                10, 65_535,   // default pool size, bind parameters
                new EngineFacts.UrlForm(Engine.MARIADB, List.of("mariadb"), List.of("mariadbconnector", "pymysql"),
                        "mariadb", "mariadb", 3306),
                ERROR_CODES));
    }

    /** For MySQL, which shares everything but its facts. */
    MariaDbDialect(EngineFacts facts) {
        super(facts);
    }

    /** MariaDB and MySQL share a driver and a protocol: only the version the server reports tells them apart. */
    @Override
    ServerInfo detect(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION(), @@wait_timeout, @@max_connections")) {
            rs.next();
            String version = rs.getString(1);
            Engine engine = version.toLowerCase(Locale.ROOT).contains("mariadb") ? Engine.MARIADB : Engine.MYSQL;
            return new ServerInfo(engine, EngineVersion.parse(version), Duration.ofSeconds(rs.getLong(2)), rs.getInt(3));
        }
    }

    @Override
    void examine(DatabaseDoctor doctor, Connection raw, Connection pooled) throws SQLException {
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT @@character_set_database, @@collation_database, @@character_set_server, @@wait_timeout, "
                        + "@@max_connections, @@global.time_zone, @@system_time_zone")) {
            rs.next();
            String charset = rs.getString(1);
            doctor.add("utf8mb4".equals(charset) ? Verdict.OK : Verdict.FAIL, "database character set",
                    charset + " / " + rs.getString(2),
                    "ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin: Switchboard's columns declare utf8mb4, "
                            + "but its migration history and anything created without a character set take this default");
            doctor.add("utf8mb4".equals(rs.getString(3)) ? Verdict.OK : Verdict.WARN, "server character set",
                    rs.getString(3), "set character_set_server = utf8mb4 so that new databases default to it");
            isolationAndZone(doctor, raw, rs.getString(6), rs.getString(7));
            doctor.connections(rs.getInt(5));
            long waitMs = Duration.ofSeconds(rs.getLong(4)).toMillis();
            long lifetime = doctor.poolLifetime().toMillis();
            doctor.add(lifetime < waitMs ? Verdict.OK : Verdict.WARN, "wait_timeout vs pool lifetime",
                    waitMs + " ms vs " + lifetime + " ms",
                    "Switchboard caps each connection's life 30 s below wait_timeout; set DB_POOL_MAX_LIFETIME_MS "
                            + "below it so that the cap is not needed");
        }
        columnCharsets(doctor, raw);
    }

    private static void isolationAndZone(DatabaseDoctor doctor, Connection raw, String globalZone, String systemZone)
            throws SQLException {
        doctor.isolation(raw, "set transaction_isolation = READ-COMMITTED (tx_isolation before MariaDB 11.1) in the "
                + "server's configuration");
        String zone = "SYSTEM".equalsIgnoreCase(globalZone) ? systemZone : globalZone;
        boolean utc = zone != null && (zone.equals("+00:00") || zone.equalsIgnoreCase("UTC"));
        doctor.add(utc ? Verdict.OK : Verdict.WARN, "server time zone", zone,
                "Switchboard writes UTC and sets its sessions to +00:00, but other tools that use NOW() with "
                        + "this zone would write local times into the same columns; run the server in UTC");
    }

    private static void columnCharsets(DatabaseDoctor doctor, Connection raw) throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_SET_NAME FROM information_schema.COLUMNS "
                        + "WHERE TABLE_SCHEMA = DATABASE() AND CHARACTER_SET_NAME NOT IN ('utf8mb4', 'ascii') "
                        + "AND TABLE_NAME NOT LIKE 'DATABASECHANGELOG%'")) {
            while (rs.next()) {
                wrong.add(rs.getString(1) + "." + rs.getString(2) + " (" + rs.getString(3) + ")");
            }
        }
        doctor.add(wrong.isEmpty() ? Verdict.OK : Verdict.FAIL, "column character sets",
                wrong.isEmpty() ? "utf8mb4 (text) and ascii (ids)" : String.join(", ", wrong),
                "these columns cannot hold every character; convert them with ALTER TABLE ... CONVERT TO "
                        + "CHARACTER SET utf8mb4");
    }

    @Override
    Map<String, String> driverOptions(Map<String, String> urlOptions) {
        Map<String, String> options = new LinkedHashMap<>(urlOptions);
        options.remove("charset"); // the MariaDB driver always speaks utf8mb4
        return options;
    }

    @Override
    public void configurePool(HikariConfig config, ServerInfo server) {
        // The server default, REPEATABLE READ, takes gap locks and deadlocks more under concurrent writers.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionInitSql("SET NAMES utf8mb4, time_zone = '+00:00'");
        SharedDialectParts.capLifetime(config, server.idleTimeout());
    }

    @Override
    public <R extends Record> ResultQuery<R> lockSkipLocked(SelectForUpdateStep<R> select) {
        // jOOQ renders LIMIT before FOR UPDATE SKIP LOCKED, the only order MariaDB accepts.
        return select.forUpdate().skipLocked();
    }

    @Override
    public Query upsert(DSLContext dsl, Table<?> table, Map<Field<?>, Object> values, List<Field<?>> key,
                        List<Field<?>> updates) {
        var insert = dsl.insertInto(table).set(values).onDuplicateKeyUpdate();
        if (updates.isEmpty()) {
            // "Do nothing" as a no-op update: INSERT IGNORE would also swallow errors that are not duplicates.
            return insert.set(selfAssignment(key.getFirst()));
        }
        return insert.set(SharedDialectParts.subset(values, updates));
    }

    @Override
    public <R extends Record> Query insertIfAbsent(InsertOnDuplicateStep<R> insert, Field<?> key) {
        // Not INSERT IGNORE: that also turns errors other than duplicates (a NOT NULL column given null, a value
        // too long) into warnings and stores something else.
        return insert.onDuplicateKeyUpdate().set(selfAssignment(key));
    }

    private static Map<Field<?>, Object> selfAssignment(Field<?> field) {
        return Map.of(field, field);
    }

    @Override
    public MigrationLock lockMigrations(Connection connection, Duration timeout) throws SQLException {
        // GET_LOCK is server-wide, so the name carries the database; MariaDB caps lock names at 64 characters.
        String name = "LEFT(CONCAT('switchboard.migrations.', DATABASE()), 64)";
        return MigrationLocks.poll(connection, "SELECT GET_LOCK(" + name + ", 1)", "SELECT RELEASE_LOCK(" + name + ")",
                timeout);
    }
}
