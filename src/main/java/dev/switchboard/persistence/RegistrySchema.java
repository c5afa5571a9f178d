package dev.switchboard.persistence;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The registry's tables as the changelog declares them, in the order they are created (so every table comes
 * after the tables it references), with each column's meaning: the type property it uses, such as "uuid".
 * Tools that move rows between engines use it to read and write each column with the right binding.
 */
public final class RegistrySchema {

    /** A column and what its type means ("uuid", "json", "timestamp", "boolean", "text", ...). */
    public record Column(String name, String kind, boolean primaryKey) {
    }

    /** One release file of the changelog. */
    public record Release(String file, Document document) {
    }

    public record Table(String name, List<Column> columns) {

        public List<Column> primaryKey() {
            return columns.stream().filter(Column::primaryKey).toList();
        }
    }

    /** A column added by a changeset's SQL: table, column and the type property it uses. */
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "ALTER TABLE (\\w+) ADD COLUMN (\\w+) \\$\\{(\\w+)}");
    private static final List<Table> TABLES = parse();

    private RegistrySchema() {
    }

    /** Every registry table, referenced tables first. */
    public static List<Table> tables() {
        return TABLES;
    }

    /** The release files the master changelog includes, in order, parsed. */
    public static List<Release> releases() {
        List<Release> releases = new ArrayList<>();
        for (Element include : children(load(SchemaMigrator.CHANGELOG).getDocumentElement(), "include")) {
            String file = include.getAttribute("file");
            releases.add(new Release(file, load(file)));
        }
        return releases;
    }

    private static List<Table> parse() {
        List<Table> tables = new ArrayList<>();
        for (Release release : releases()) {
            for (Element create : children(release.document().getDocumentElement(), "createTable")) {
                List<Column> columns = new ArrayList<>();
                for (Element column : children(create, "column")) {
                    columns.add(column(column));
                }
                tables.add(new Table(create.getAttribute("tableName"), List.copyOf(columns)));
            }
            // Columns added by later changesets (as plain SQL, see the changelog) belong to their table too.
            for (Element sql : children(release.document().getDocumentElement(), "sql")) {
                if (sql.getParentNode() instanceof Element parent && parent.getTagName().equals("rollback")) {
                    continue;
                }
                Matcher add = ADD_COLUMN.matcher(sql.getTextContent().strip());
                if (add.matches()) {
                    int at = indexOf(tables, add.group(1));
                    List<Column> columns = new ArrayList<>(tables.get(at).columns());
                    columns.add(new Column(add.group(2), add.group(3), false));
                    tables.set(at, new Table(add.group(1), List.copyOf(columns)));
                }
            }
        }
        return List.copyOf(tables);
    }

    private static Column column(Element column) {
        String type = column.getAttribute("type");
        String kind = type.startsWith("${") ? type.substring(2, type.length() - 1) : type;
        boolean pk = children(column, "constraints").stream()
                .anyMatch(c -> "true".equals(c.getAttribute("primaryKey")));
        return new Column(column.getAttribute("name"), kind, pk);
    }

    private static int indexOf(List<Table> tables, String name) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("the changelog adds columns to " + name + ", which it never creates");
    }

    private static Document load(String resource) {
        try (InputStream in = RegistrySchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the changelog file " + resource + " is missing from the build");
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the changelog file " + resource + ": " + e.getMessage(), e);
        }
    }

    /** Descendant elements by tag name, in document order. */
    public static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }
}
