package dev.switchboard.testing;

import dev.switchboard.persistence.Engine;

/**
 * Which physical column types mean each declared kind on each engine, as DATABASES.md prescribes. SQLite
 * has storage classes, not types: its TEXT can hold any of the text-like kinds, which is all it can show.
 */
final class PhysicalTypes {

    private PhysicalTypes() {
    }

    /**
     * @param collation the column's collation on MariaDB and MySQL (null elsewhere, and for non-text columns):
     *                  text must be utf8mb4 whatever the database's default, names must compare without padding,
     *                  and identifiers and hashes are ASCII
     */
    static boolean means(Engine engine, String type, int size, String collation, String kind) {
        return switch (engine) {
            case POSTGRESQL -> postgres(type, size, kind);
            case MARIADB -> mariaDb(type, size, kind) && collationFits(kind, collation, "utf8mb4_nopad_bin");
            case MYSQL -> mariaDb(type, size, kind) && collationFits(kind, collation, "utf8mb4_0900_bin");
            case SQLITE -> sqlite(type, kind);
        };
    }

    private static boolean collationFits(String kind, String collation, String namesCollation) {
        return switch (kind) {
            case "name" -> namesCollation.equals(collation);
            case "string", "text", "json" -> "utf8mb4_bin".equals(collation);
            case "uuid", "code", "hash" -> "ascii_bin".equals(collation);
            default -> collation == null;
        };
    }

    private static boolean postgres(String type, int size, String kind) {
        return switch (kind) {
            case "uuid" -> type.equals("UUID");
            case "json" -> type.equals("JSON");
            case "timestamp" -> type.equals("TIMESTAMPTZ");
            case "boolean" -> type.equals("BOOL");
            case "name" -> type.equals("VARCHAR") && size == 255;
            case "string" -> type.equals("VARCHAR") && size == 2048;
            case "code" -> type.equals("VARCHAR") && size == 64;
            case "text" -> type.equals("TEXT");
            case "blob" -> type.equals("BYTEA");
            case "hash" -> type.equals("BPCHAR") && size == 64;
            case "bigint" -> type.equals("INT8");
            case "int" -> type.equals("INT4");
            default -> false;
        };
    }

    private static boolean mariaDb(String type, int size, String kind) {
        return switch (kind) {
            case "uuid" -> type.equals("CHAR") && size == 36;
            case "json" -> type.equals("JSON") || type.equals("LONGTEXT");
            case "timestamp" -> type.equals("DATETIME");
            case "boolean" -> type.equals("TINYINT") || type.equals("BIT") || type.equals("BOOLEAN");
            case "name" -> type.equals("VARCHAR") && size == 255;
            case "string" -> type.equals("VARCHAR") && size == 2048;
            case "code" -> type.equals("VARCHAR") && size == 64;
            case "text" -> type.equals("LONGTEXT");
            case "blob" -> type.equals("LONGBLOB");
            case "hash" -> type.equals("CHAR") && size == 64;
            case "bigint" -> type.equals("BIGINT");
            case "int" -> type.equals("INT") || type.equals("INTEGER");
            default -> false;
        };
    }

    private static boolean sqlite(String type, String kind) {
        return switch (kind) {
            case "uuid", "json", "timestamp", "name", "string", "code", "text", "hash" -> type.equals("TEXT");
            case "boolean", "int" -> type.equals("INTEGER");
            case "blob" -> type.equals("BLOB");
            case "bigint" -> type.equals("BIGINT");
            default -> false;
        };
    }
}
