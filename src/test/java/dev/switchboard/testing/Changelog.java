package dev.switchboard.testing;

import dev.switchboard.persistence.RegistrySchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

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
            for (Element cs : RegistrySchema.children(release.document().getDocumentElement(), "changeSet")) {
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

    private static ChangeSet changeSet(Element cs, String file) {
        List<Table> tables = new ArrayList<>();
        for (Element ct : RegistrySchema.children(cs, "createTable")) {
            List<Column> columns = new ArrayList<>();
            for (Element col : RegistrySchema.children(ct, "column")) {
                Element k = first(col, "constraints");
                String type = col.getAttribute("type");
                String kind = type.startsWith("${") ? type.substring(2, type.length() - 1) : type;
                columns.add(new Column(col.getAttribute("name"), kind,
                        k == null ? "" : k.getAttribute("primaryKeyName"),
                        k == null ? "" : k.getAttribute("foreignKeyName"),
                        k == null ? "" : k.getAttribute("referencedTableName")));
            }
            tables.add(new Table(ct.getAttribute("tableName"), columns));
        }
        List<Index> indexes = new ArrayList<>();
        for (Element ix : RegistrySchema.children(cs, "createIndex")) {
            List<String> columns = RegistrySchema.children(ix, "column").stream().map(c -> c.getAttribute("name")).toList();
            indexes.add(new Index(ix.getAttribute("indexName"), ix.getAttribute("tableName"),
                    "true".equals(ix.getAttribute("unique")), columns));
        }
        return new ChangeSet(cs.getAttribute("id"), file, first(cs, "rollback") != null, tables, indexes);
    }

    private static Element first(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n.getParentNode() == parent) {
                return (Element) n;
            }
        }
        return null;
    }
}
