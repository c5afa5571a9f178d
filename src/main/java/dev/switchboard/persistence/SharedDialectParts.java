package dev.switchboard.persistence;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Converter;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.InsertOnConflictDoUpdateStep;
import org.jooq.InsertOnDuplicateStep;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Pieces that two or more dialects share, so that each dialect keeps only what is its own. */
final class SharedDialectParts {

    /** UUIDs as 36 characters of lower-case text (MariaDB, MySQL, SQLite). */
    static final DataType<UUID> UUID_AS_TEXT = SQLDataType.CHAR(36)
            .asConvertedDataType(Converter.ofNullable(String.class, UUID.class, UUID::fromString, UUID::toString));

    private static final Duration LIFETIME_MARGIN = Duration.ofSeconds(30);
    private static final Duration HIKARI_MIN_LIFETIME = Duration.ofSeconds(30);

    /** JSON bound and read as plain text (MariaDB, MySQL, SQLite). */
    static final DataType<String> JSON_AS_TEXT = SQLDataType.CLOB;

    private SharedDialectParts() {
    }

    /**
     * An instant kept as UTC text of fixed width, always with six fractional digits so that text order is
     * time order, and read back with any number of fractional digits.
     */
    static DataType<Instant> instantAsText(String datePattern, char separator, String suffix) {
        DateTimeFormatter write = DateTimeFormatter.ofPattern(datePattern + "'" + separator + "'HH:mm:ss.SSSSSS"
                + (suffix.isEmpty() ? "" : "'" + suffix + "'")).withZone(ZoneOffset.UTC);
        DateTimeFormatterBuilder read = new DateTimeFormatterBuilder()
                .appendPattern(datePattern + "'" + separator + "'HH:mm:ss")
                .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd();
        if (!suffix.isEmpty()) {
            read.appendLiteral(suffix);
        }
        DateTimeFormatter reader = read.toFormatter();
        return SQLDataType.VARCHAR(32).asConvertedDataType(Converter.ofNullable(String.class, Instant.class,
                text -> LocalDateTime.parse(text, reader).toInstant(ZoneOffset.UTC),
                write::format));
    }

    /** INSERT ... ON CONFLICT (key) DO UPDATE / DO NOTHING, as PostgreSQL and SQLite write it. */
    static Query onConflictUpsert(DSLContext dsl, Table<?> table, Map<Field<?>, Object> values,
                                  List<Field<?>> key, List<Field<?>> updates) {
        InsertOnConflictDoUpdateStep<?> insert = dsl.insertInto(table).set(values).onConflict(key);
        if (updates.isEmpty()) {
            return insert.doNothing();
        }
        return insert.doUpdate().set(subset(values, updates));
    }

    /** INSERT ... ON CONFLICT (key) DO NOTHING, of any number of rows, as PostgreSQL and SQLite write it. */
    static <R extends Record> Query onConflictDoNothing(InsertOnDuplicateStep<R> insert, Field<?> key) {
        return insert.onConflict(key).doNothing();
    }

    static Map<Field<?>, Object> subset(Map<Field<?>, Object> values, List<Field<?>> fields) {
        Map<Field<?>, Object> chosen = new LinkedHashMap<>();
        for (Field<?> field : fields) {
            chosen.put(field, values.get(field));
        }
        return chosen;
    }

    /**
     * Keeps pooled connections' lifetime clear of the server's idle cut-off, so that the pool never hands out a
     * connection the server has already closed. HikariCP refuses lifetimes under 30 s.
     */
    static void capLifetime(HikariConfig config, Duration serverIdleTimeout) {
        if (serverIdleTimeout == null) {
            return;
        }
        long ceiling = Math.max(serverIdleTimeout.minus(LIFETIME_MARGIN).toMillis(), HIKARI_MIN_LIFETIME.toMillis());
        if (config.getMaxLifetime() == 0 || config.getMaxLifetime() > ceiling) {
            config.setMaxLifetime(ceiling);
        }
    }

    /** Connection loss looks alike on every driver: SQLState class 08 or one of the JDBC connection types. */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08"))
                || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException;
    }
}
