package dev.switchboard.testing;

import dev.switchboard.persistence.RegistrySchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;
import liquibase.change.ConstraintsConfig;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.CreateTableChange;

/**
 * The changelog as written, for lint tests: changesets, the tables and indexes they create with every
 * constraint name, and whether each changeset has a rollback.
 */
public final class Changelog {

    /** A changeset and what it declares. */
    public record ChangeSet(String id, String file, boolean hasRollback, List<Table> tables, List<Index> indexes) {
    }

    public record Table(String name, List<Column> columns) {
    }

    /** A column; {@code kind} is the type property it uses, or the literal type when it uses none. */
    public record Column(String name, String kind, String primaryKeyName, String foreignKeyName,
                         String referencedTable) {
    }

    public record Index(String name, String table, boolean unique, List<String> columns) {
    }

    private Changelog() {
    }

    public static List<ChangeSet> changeSets() {
        List<ChangeSet> sets = new ArrayList<>();
        for (RegistrySchema.Release release : RegistrySchema.releases()) {
            for (liquibase.changelog.ChangeSet cs : release.changeSets()) {
                sets.add(changeSet(cs, release.file()));
            }
        }
        return sets;
    }

    /** Every column's declared kind, by "table.column". */
    public static Map<String, String> declaredKinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (RegistrySchema.Table t : RegistrySchema.tables()) {
            for (RegistrySchema.Column c : t.columns()) {
                kinds.put(t.name() + "." + c.name(), c.kind());
            }
        }
        return kinds;
    }

    private static ChangeSet changeSet(liquibase.changelog.ChangeSet cs, String file) {
        List<Table> tables = new ArrayList<>();
        List<Index> indexes = new ArrayList<>();
        for (Change change : cs.getChanges()) {
            if (change instanceof CreateTableChange ct) {
                List<Column> columns = new ArrayList<>();
                for (ColumnConfig col : ct.getColumns()) {
                    ConstraintsConfig k = col.getConstraints();
                    String type = col.getType();
                    String kind = type.startsWith("${") ? type.substring(2, type.length() - 1) : type;
                    columns.add(new Column(col.getName(), kind,
                            k == null ? "" : orEmpty(k.getPrimaryKeyName()),
                            k == null ? "" : orEmpty(k.getForeignKeyName()),
                            k == null ? "" : orEmpty(k.getReferencedTableName())));
                }
                tables.add(new Table(ct.getTableName(), columns));
            } else if (change instanceof CreateIndexChange ix) {
                List<String> columns = ix.getColumns().stream().map(ColumnConfig::getName).toList();
                indexes.add(new Index(ix.getIndexName(), ix.getTableName(), Boolean.TRUE.equals(ix.isUnique()),
                        columns));
            }
        }
        return new ChangeSet(cs.getId(), file, !cs.getRollback().getChanges().isEmpty(), tables, indexes);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
