package dev.switchboard.testing;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.Engine;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The schema as JDBC metadata reports it: tables, columns with what their type means and their nullability,
 * primary keys, unique and plain indexes, and foreign keys. Rendered as sorted text, it must be the same on
 * every engine. A column's meaning is the changelog's declared kind, written only after checking that the
 * engine's physical type really is that kind there ({@link PhysicalTypes}); a mismatch is written instead.
 */
public record SchemaModel(List<String> tables, String render) {

    private static final String HISTORY = "databasechangelog";

    public static SchemaModel read(Database db, Engine engine) throws SQLException {
        Map<String, String> declared = Changelog.declaredKinds();
        List<String> lines = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String catalog = engine == Engine.MARIADB || engine == Engine.MYSQL ? c.getCatalog() : null;
            String schema = engine == Engine.POSTGRESQL ? "public" : null;
            try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!lower.startsWith(HISTORY) && !lower.startsWith("sqlite_")) {
                        tables.add(name);
                    }
                }
            }
            tables.sort(null);
            for (String table : tables) {
                lines.add("table " + table);
                columns(md, engine, catalog, schema, table, declared, lines);
                List<String> pk = primaryKey(md, catalog, schema, table);
                lines.add("  primary key (" + String.join(", ", pk) + ")");
                indexes(md, catalog, schema, table, pk, lines);
                foreignKeys(md, catalog, schema, table, lines);
            }
        }
        return new SchemaModel(tables, String.join("\n", lines) + "\n");
    }

    private static void columns(DatabaseMetaData md, Engine engine, String catalog, String schema, String table,
                                Map<String, String> declared, List<String> lines) throws SQLException {
        Map<String, String> collations = collations(md.getConnection(), engine, table);
        try (ResultSet rs = md.getColumns(catalog, schema, table, "%")) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                String physical = rs.getString("TYPE_NAME").toUpperCase(Locale.ROOT);
                int size = rs.getInt("COLUMN_SIZE");
                String kind = declared.getOrDefault(table + "." + column, "undeclared");
                String collation = collations.get(column);
                String meaning = PhysicalTypes.means(engine, physical, size, collation, kind)
                        ? kind : "MISMATCH(declared " + kind + ", physical " + physical + "(" + size + ") "
                        + collation + ")";
                boolean nullable = "YES".equals(rs.getString("IS_NULLABLE"));
                lines.add("  column " + column + " " + meaning + (nullable ? " null" : " not null"));
            }
        }
    }

    /** On MariaDB and MySQL, each text column's collation: it decides uniqueness and what characters fit. */
    private static Map<String, String> collations(Connection c, Engine engine, String table) throws SQLException {
        Map<String, String> collations = new TreeMap<>();
        if (engine != Engine.MARIADB && engine != Engine.MYSQL) {
            return collations;
        }
        try (var st = c.prepareStatement("SELECT COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    collations.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return collations;
    }

    private static List<String> primaryKey(DatabaseMetaData md, String catalog, String schema, String table)
            throws SQLException {
        Map<Integer, String> bySeq = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(bySeq.values());
    }

    private static void indexes(DatabaseMetaData md, String catalog, String schema, String table, List<String> pk,
                                List<String> lines) throws SQLException {
        Map<String, Map<Integer, String>> columns = new TreeMap<>();
        Map<String, Boolean> unique = new TreeMap<>();
        try (ResultSet rs = md.getIndexInfo(catalog, schema, table, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name == null) {
                    continue;
                }
                columns.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"),
                        rs.getString("COLUMN_NAME"));
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        TreeSet<String> rendered = new TreeSet<>();
        columns.forEach((name, cols) -> {
            List<String> ordered = List.copyOf(cols.values());
            boolean primary = name.equals("PRIMARY") || name.startsWith("sqlite_autoindex_") || name.startsWith("pk_")
                    || (unique.get(name) && ordered.equals(pk));
            if (!primary) {
                rendered.add("  " + (unique.get(name) ? "unique " : "index ") + name + " ("
                        + String.join(", ", ordered) + ")");
            }
        });
        lines.addAll(rendered);
    }

    private static void foreignKeys(DatabaseMetaData md, String catalog, String schema, String table,
                                    List<String> lines) throws SQLException {
        TreeSet<String> rendered = new TreeSet<>();
        try (ResultSet rs = md.getImportedKeys(catalog, schema, table)) {
            while (rs.next()) {
                String rule = switch (rs.getShort("DELETE_RULE")) {
                    case DatabaseMetaData.importedKeyCascade -> "cascade";
                    case DatabaseMetaData.importedKeySetNull -> "set null";
                    default -> "no action";
                };
                // SQLite's driver names only table constraints; a key added with a column (ALTER TABLE ... ADD
                // COLUMN ... CONSTRAINT name REFERENCES) comes back unnamed, and has the name the convention gives.
                String name = rs.getString("FK_NAME");
                if (name == null || name.isBlank()) {
                    name = "fk_" + table + "_" + rs.getString("FKCOLUMN_NAME");
                }
                rendered.add("  foreign key " + name + " (" + rs.getString("FKCOLUMN_NAME")
                        + ") references " + rs.getString("PKTABLE_NAME") + " (" + rs.getString("PKCOLUMN_NAME")
                        + ") on delete " + rule);
            }
        }
        lines.addAll(rendered);
    }
}
