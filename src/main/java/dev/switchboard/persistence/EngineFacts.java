package dev.switchboard.persistence;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DataType;
import org.jooq.SQLDialect;

/**
 * What one engine is, as data: its jOOQ dialect, column types, limits, URL forms and the meaning of its error
 * codes. Each dialect class states its facts once and {@link EngineDialect} answers the fact questions from them,
 * so that dialect classes override only what engines do differently.
 *
 * @param embedded          a file this process opens itself, rather than a server it connects to
 * @param singleWriter      one writer at a time, so the process should queue its own writers
 * @param defaultPoolSize   the pool size when the operator sets none
 * @param maxBindParameters the most bind parameters one statement may carry
 */
record EngineFacts(Engine engine, SQLDialect sqlDialect, DataType<UUID> uuidType, DataType<Instant> timestampType,
                   DataType<String> jsonType, boolean embedded, boolean singleWriter, int defaultPoolSize,
                   int maxBindParameters, UrlForm url, ErrorCodes errors) {

    /**
     * How operators write this engine's DATABASE_URL.
     *
     * @param family         the engine whose driver the URL opens: MySQL URLs open the MariaDB driver, and the
     *                       server says later which of the two it is
     * @param schemes        SQLAlchemy-style schemes, the one shown in messages first
     * @param drivers        the driver suffixes accepted after a '+' (the scheme alone is always accepted)
     * @param jdbcName       the JDBC subprotocol operators write, as in jdbc:mysql:
     * @param driverJdbcName the JDBC subprotocol the driver takes: the MariaDB driver serves MySQL only as jdbc:mariadb:
     * @param defaultPort    the port a URL without one means; 0 for an embedded file
     */
    record UrlForm(Engine family, List<String> schemes, List<String> drivers, String jdbcName, String driverJdbcName,
                   int defaultPort) {

        UrlForm {
            schemes = List.copyOf(schemes);
            drivers = List.copyOf(drivers);
        }

        boolean acceptsDriver(String driver) {
            return driver.isEmpty() || drivers.contains(driver);
        }
    }

    /**
     * What the engine's failures mean: PostgreSQL says it by SQLState, MariaDB and MySQL by vendor code, SQLite by
     * its extended result code. A failure listed in neither is judged by {@link EngineDialect#unlisted}.
     */
    record ErrorCodes(Map<String, DatabaseError> bySqlState, Map<Integer, DatabaseError> byCode) {

        static final ErrorCodes NONE = new ErrorCodes(Map.of(), Map.of());

        ErrorCodes {
            bySqlState = Map.copyOf(bySqlState);
            byCode = Map.copyOf(byCode);
        }

        /** These facts and {@code states} meaning {@code meaning}. */
        ErrorCodes sqlStates(DatabaseError meaning, String... states) {
            Map<String, DatabaseError> more = new HashMap<>(bySqlState);
            for (String state : states) {
                more.put(state, meaning);
            }
            return new ErrorCodes(more, byCode);
        }

        /** These facts and {@code codes} meaning {@code meaning}. */
        ErrorCodes codes(DatabaseError meaning, int... codes) {
            Map<Integer, DatabaseError> more = new HashMap<>(byCode);
            for (int code : codes) {
                more.put(code, meaning);
            }
            return new ErrorCodes(bySqlState, more);
        }

        /** The listed meaning, by SQLState first; null when neither is listed. */
        DatabaseError meaning(String sqlState, int code) {
            DatabaseError meaning = sqlState == null ? null : bySqlState.get(sqlState);
            return meaning != null ? meaning : byCode.get(code);
        }
    }
}
