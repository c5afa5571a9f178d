package dev.switchboard.testing;

import dev.switchboard.persistence.SchemaMigrator;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The changelog as written: changesets, the tables and indexes they create, every identifier, and each
 * column's declared meaning (the type property it uses, such as "uuid" for ${uuid}).
 */
public final class Changelog {

    /** A changeset and what it declares. */
    public record ChangeSet(String id, String file, boolean hasRollback, List<Table> tables, List<Index> indexes) {
    }

    public record Table(String name, List<Column> columns) {
    }

    /** A column; {@code kind} is the type property it uses, or the literal type when it uses none. */
    public record Column(String name, String kind, boolean nullable, String primaryKeyName,
                         String foreignKeyName, String referencedTable, String referencedColumn) {
    }

    public record Index(String name, String table, boolean unique, List<String> columns) {
    }

    private Changelog() {
    }

    public static List<ChangeSet> changeSets() {
        List<ChangeSet> sets = new ArrayList<>();
        for (Element include : elements(parse(SchemaMigrator.CHANGELOG).getDocumentElement(), "include")) {
            String file = include.getAttribute("file");
            for (Element cs : elements(parse(file).getDocumentElement(), "changeSet")) {
                sets.add(changeSet(cs, file));
            }
        }
        return sets;
    }

    /** Every column's declared kind, by "table.column". */
    public static Map<String, String> declaredKinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (ChangeSet cs : changeSets()) {
            for (Table t : cs.tables()) {
                for (Column c : t.columns()) {
                    kinds.put(t.name() + "." + c.name(), c.kind());
                }
            }
        }
        return kinds;
    }

    private static ChangeSet changeSet(Element cs, String file) {
        List<Table> tables = new ArrayList<>();
        for (Element ct : elements(cs, "createTable")) {
            List<Column> columns = new ArrayList<>();
            for (Element col : elements(ct, "column")) {
                Element k = first(col, "constraints");
                String type = col.getAttribute("type");
                String kind = type.startsWith("${") ? type.substring(2, type.length() - 1) : type;
                columns.add(new Column(col.getAttribute("name"), kind,
                        k == null || !"false".equals(k.getAttribute("nullable")) && !"true".equals(k.getAttribute("primaryKey")),
                        k == null ? "" : k.getAttribute("primaryKeyName"),
                        k == null ? "" : k.getAttribute("foreignKeyName"),
                        k == null ? "" : k.getAttribute("referencedTableName"),
                        k == null ? "" : k.getAttribute("referencedColumnNames")));
            }
            tables.add(new Table(ct.getAttribute("tableName"), columns));
        }
        List<Index> indexes = new ArrayList<>();
        for (Element ix : elements(cs, "createIndex")) {
            List<String> columns = elements(ix, "column").stream().map(c -> c.getAttribute("name")).toList();
            indexes.add(new Index(ix.getAttribute("indexName"), ix.getAttribute("tableName"),
                    "true".equals(ix.getAttribute("unique")), columns));
        }
        return new ChangeSet(cs.getAttribute("id"), file, first(cs, "rollback") != null, tables, indexes);
    }

    private static Document parse(String resource) {
        try (InputStream in = Changelog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no changelog file " + resource);
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> elements(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
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
