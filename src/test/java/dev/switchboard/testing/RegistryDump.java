package dev.switchboard.testing;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.RegistrySchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every row of every registry table as the driver returns it, in primary-key order. Two dumps of databases on
 * the same engine are compared value for value (text and bytes exactly); JSON documents are compared as JSON.
 */
public record RegistryDump(Map<String, List<Object[]>> tables) {

    public static RegistryDump of(Database db) throws SQLException {
        Map<String, List<Object[]>> tables = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (RegistrySchema.Table table : RegistrySchema.tables()) {
                String order = table.primaryKey().stream().map(RegistrySchema.Column::name)
                        .collect(Collectors.joining(", "));
                List<Object[]> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table.name() + " ORDER BY " + order)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Object[] row = new Object[n];
                        for (int i = 0; i < n; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        rows.add(row);
                    }
                }
                tables.put(table.name(), rows);
            }
        }
        return new RegistryDump(tables);
    }

    public long rows() {
        return tables.values().stream().mapToLong(List::size).sum();
    }

    /** Every stored value as text, binary ones decoded as UTF-8: what a search for leaked plaintext reads. */
    public String allText() {
        StringBuilder text = new StringBuilder();
        tables.values().forEach(rows -> rows.forEach(row -> {
            for (Object value : row) {
                text.append(value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                        : String.valueOf(value)).append('\n');
            }
        }));
        return text.toString();
    }

    /** The differences from {@code other}, as readable lines; empty when the two hold the same registry. */
    public List<String> differencesFrom(RegistryDump other) {
        List<String> differences = new ArrayList<>();
        for (RegistrySchema.Table table : RegistrySchema.tables()) {
            List<Object[]> mine = tables.get(table.name());
            List<Object[]> theirs = other.tables.get(table.name());
            if (mine.size() != theirs.size()) {
                differences.add(table.name() + ": " + mine.size() + " rows vs " + theirs.size());
                continue;
            }
            for (int r = 0; r < mine.size(); r++) {
                for (int col = 0; col < table.columns().size(); col++) {
                    Object a = mine.get(r)[col];
                    Object b = theirs.get(r)[col];
                    boolean same = "json".equals(table.columns().get(col).kind())
                            ? JsonDocuments.same(text(a), text(b))
                            : a instanceof byte[] ba && b instanceof byte[] bb ? Arrays.equals(ba, bb)
                            : a == null ? b == null : a.equals(b);
                    if (!same && differences.size() < 20) {
                        differences.add(table.name() + " row " + r + " column " + table.columns().get(col).name()
                                + ": " + a + " vs " + b);
                    }
                }
            }
        }
        return differences;
    }

    /** JSON as text: PostgreSQL's driver returns json as a PGobject, whose string form is the document. */
    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
