package dev.switchboard.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.RawSQLChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserConfiguration;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The registry's tables as the changelog declares them, in the order they are created but for a table that a later
 * changeset made reference a newer one, which moves after it (so every table comes after the tables it references),
 * with each column's meaning: the type property it uses, such as "uuid".
 * Tools that move rows between engines use it to read and write each column with the right binding.
 */
public final class RegistrySchema {

    /** A column and what its type means ("uuid", "json", "timestamp", "boolean", "text", ...). */
    public record Column(String name, String kind, boolean primaryKey) {
    }

    /** One release file of the changelog, with its change sets as Liquibase reads them. */
    public record Release(String file, List<ChangeSet> changeSets) {
    }

    public record Table(String name, List<Column> columns) {

        public List<Column> primaryKey() {
            return columns.stream().filter(Column::primaryKey).toList();
        }
    }

    /**
     * A column added by a changeset's SQL: table, column and the type property it uses, then a default or the table
     * it references. One column may be added by two statements for different engines; it counts once.
     */
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "ALTER TABLE (\\w+) ADD COLUMN (\\w+) \\$\\{(\\w+)}(?: NOT NULL DEFAULT '[^']*')?"
                    + "(?: CONSTRAINT \\w+ REFERENCES (\\w+) \\(\\w+\\))?");
    /** A foreign key added by a changeset's SQL: the table and the table it references. */
    private static final Pattern ADD_FOREIGN_KEY = Pattern.compile(
            "ALTER TABLE (\\w+) ADD CONSTRAINT \\w+ FOREIGN KEY \\(\\w+\\) REFERENCES (\\w+) \\(\\w+\\)");
    private static final List<Table> TABLES = parse();

    private RegistrySchema() {
    }

    /** Every registry table, referenced tables first. */
    public static List<Table> tables() {
        return TABLES;
    }

    /** The release files the master changelog includes, in order, with their change sets. */
    public static List<Release> releases() {
        Map<String, List<ChangeSet>> byFile = new LinkedHashMap<>();
        for (ChangeSet changeSet : changeLog().getChangeSets()) {
            byFile.computeIfAbsent(changeSet.getFilePath(), f -> new ArrayList<>()).add(changeSet);
        }
        List<Release> releases = new ArrayList<>();
        byFile.forEach((file, changeSets) -> releases.add(new Release(file, List.copyOf(changeSets))));
        return releases;
    }

    private static List<Table> parse() {
        List<Table> tables = new ArrayList<>();
        Map<String, Set<String>> references = new HashMap<>();
        for (Release release : releases()) {
            for (ChangeSet changeSet : release.changeSets()) {
                for (Change change : changeSet.getChanges()) {
                    if (change instanceof CreateTableChange create) {
                        tables.add(new Table(create.getTableName(),
                                create.getColumns().stream().map(RegistrySchema::column).toList()));
                        create.getColumns().stream().map(RegistrySchema::referencedTable).filter(Objects::nonNull)
                                .forEach(t -> references.computeIfAbsent(create.getTableName(), k -> new HashSet<>())
                                        .add(t));
                    } else if (change instanceof RawSQLChange sql) {
                        // Columns added by later changesets (as plain SQL, see the changelog) belong to their table too.
                        addColumn(tables, references, sql.getSql() == null ? "" : sql.getSql().strip());
                    }
                }
            }
        }
        return referencedFirst(tables, references);
    }

    private static void addColumn(List<Table> tables, Map<String, Set<String>> references, String sql) {
        Matcher add = ADD_COLUMN.matcher(sql);
        if (add.matches()) {
            int at = indexOf(tables, add.group(1));
            List<Column> columns = new ArrayList<>(tables.get(at).columns());
            if (columns.stream().noneMatch(c -> c.name().equals(add.group(2)))) {
                columns.add(new Column(add.group(2), add.group(3), false));
                tables.set(at, new Table(add.group(1), List.copyOf(columns)));
            }
            if (add.group(4) != null) {
                references.computeIfAbsent(add.group(1), k -> new HashSet<>()).add(add.group(4));
            }
        }
        Matcher key = ADD_FOREIGN_KEY.matcher(sql);
        if (key.matches()) {
            references.computeIfAbsent(key.group(1), k -> new HashSet<>()).add(key.group(2));
        }
    }

    /**
     * The tables in creation order, but each one after every table it references: a table a later changeset makes
     * another depend on is pulled forward, just before the first table that needs it, so the rest keep their order.
     */
    private static List<Table> referencedFirst(List<Table> tables, Map<String, Set<String>> references) {
        Map<String, Table> byName = new java.util.LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (Table table : tables) {
            place(table, byName, references, placed, new java.util.LinkedHashSet<>(), ordered);
        }
        return List.copyOf(ordered);
    }

    private static void place(Table table, Map<String, Table> byName, Map<String, Set<String>> references,
                              Set<String> placed, Set<String> placing, List<Table> ordered) {
        if (placed.contains(table.name())) {
            return;
        }
        if (!placing.add(table.name())) {
            throw new IllegalStateException("the changelog's foreign keys form a cycle among " + placing);
        }
        // The referenced tables in creation order, so that the result does not depend on a set's iteration.
        for (Table referenced : byName.values()) {
            if (!referenced.name().equals(table.name())
                    && references.getOrDefault(table.name(), Set.of()).contains(referenced.name())) {
                place(referenced, byName, references, placed, placing, ordered);
            }
        }
        placing.remove(table.name());
        placed.add(table.name());
        ordered.add(table);
    }

    private static String referencedTable(ColumnConfig column) {
        return column.getConstraints() == null ? null : column.getConstraints().getReferencedTableName();
    }

    /** The kind is the type property's name: "${uuid}" means "uuid"; a literal type stands for itself. */
    private static String kind(String type) {
        return type.startsWith("${") ? type.substring(2, type.length() - 1) : type;
    }

    private static Column column(ColumnConfig column) {
        boolean pk = column.getConstraints() != null && Boolean.TRUE.equals(column.getConstraints().isPrimaryKey());
        return new Column(column.getName(), kind(column.getType()), pk);
    }

    private static int indexOf(List<Table> tables, String name) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("the changelog adds columns to " + name + ", which it never creates");
    }

    /**
     * The master changelog and the releases it includes, parsed by Liquibase without a database, so that no
     * engine's type is filled in: the parameters resolve no property, and Liquibase leaves each ${kind} as written.
     */
    private static DatabaseChangeLog changeLog() {
        ResourceAccessor resources = new ClassLoaderResourceAccessor(RegistrySchema.class.getClassLoader());
        ChangeLogParameters unresolved = new ChangeLogParameters() {
            @Override
            public Object getValue(String key, DatabaseChangeLog changeLog) {
                return null;
            }
        };
        try {
            return Scope.child(Map.of(ChangeLogParserConfiguration.MISSING_PROPERTY_MODE.getKey(),
                            ChangeLogParserConfiguration.MissingPropertyMode.PRESERVE),
                    () -> ChangeLogParserFactory.getInstance().getParser(SchemaMigrator.CHANGELOG, resources)
                            .parse(SchemaMigrator.CHANGELOG, unresolved, resources));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the changelog " + SchemaMigrator.CHANGELOG + ": "
                    + e.getMessage(), e);
        }
    }
}
