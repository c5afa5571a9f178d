package dev.switchboard.persistence;

import java.time.Instant;
import java.util.UUID;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Builds jOOQ tables and columns whose bindings come from the dialect, so repositories declare a column's
 * meaning (a UUID, an instant, a JSON document) and never its engine-specific type.
 */
public final class Columns {

    private final Dialect dialect;

    public Columns(Dialect dialect) {
        this.dialect = dialect;
    }

    public static Table<Record> table(String name) {
        return DSL.table(DSL.name(name));
    }

    public Field<UUID> uuid(Table<?> table, String column) {
        return field(table, column, dialect.uuidType());
    }

    public Field<Instant> timestamp(Table<?> table, String column) {
        return field(table, column, dialect.timestampType());
    }

    public Field<String> json(Table<?> table, String column) {
        return field(table, column, dialect.jsonType());
    }

    public Field<String> text(Table<?> table, String column) {
        return field(table, column, SQLDataType.VARCHAR);
    }

    public Field<Boolean> bool(Table<?> table, String column) {
        return field(table, column, SQLDataType.BOOLEAN);
    }

    public Field<Long> bigint(Table<?> table, String column) {
        return field(table, column, SQLDataType.BIGINT);
    }

    public Field<Integer> integer(Table<?> table, String column) {
        return field(table, column, SQLDataType.INTEGER);
    }

    public Field<byte[]> binary(Table<?> table, String column) {
        return field(table, column, SQLDataType.BLOB);
    }

    /** A column of the given kind, as the changelog's type properties name kinds ("uuid", "json", ...). */
    public Field<?> of(Table<?> table, String column, String kind) {
        return switch (kind) {
            case "uuid" -> uuid(table, column);
            case "timestamp" -> timestamp(table, column);
            case "json" -> json(table, column);
            case "boolean" -> bool(table, column);
            case "bigint" -> bigint(table, column);
            case "int" -> integer(table, column);
            case "blob" -> binary(table, column);
            case "name", "string", "code", "text", "hash" -> text(table, column);
            default -> throw new IllegalArgumentException("no binding for the column kind '" + kind + "'");
        };
    }

    private static <T> Field<T> field(Table<?> table, String column, DataType<T> type) {
        return DSL.field(DSL.name(table.getName(), column), type);
    }
}
