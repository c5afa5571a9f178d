package dev.switchboard.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code DATABASE_URL} into a {@link ConnectionTarget}. It takes JDBC URLs and the SQLAlchemy-style
 * URLs that users of other gateways already have. Every failure is one line that never contains the
 * password: the URL is echoed only in its masked form, and not at all when it cannot be split safely.
 */
public final class DatabaseUrl {

    /** Used when DATABASE_URL is unset: a SQLite file under ./data/. */
    public static final String DEFAULT = "sqlite:///./data/switchboard.db";

    public static final String ACCEPTED_FORMS = "sqlite:///relative/path.db, sqlite:////absolute/path.db, "
            + "postgresql[+psycopg|+psycopg2]://user:password@host:5432/database, "
            + "mariadb[+mariadbconnector|+pymysql]://user:password@host:3306/database, "
            + "mysql[+pymysql|+mysqldb]://user:password@host:3306/database, "
            + "or a jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL";

    private static final Set<String> POSTGRES_DRIVERS = Set.of("", "psycopg", "psycopg2");
    private static final Set<String> MARIADB_DRIVERS = Set.of("", "mariadbconnector", "pymysql");
    private static final Set<String> MYSQL_DRIVERS = Set.of("", "pymysql", "mysqldb");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)((?:password|pwd|sslpassword)=)[^&;]*");
    /** Greedy up to the last '@': masking too much is safe, masking too little is not. */
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@]*:).*@");
    /** psycopg spellings of options that the PostgreSQL JDBC driver names differently. */
    private static final Map<String, String> POSTGRES_OPTION_NAMES =
            Map.of("connect_timeout", "connectTimeout", "application_name", "ApplicationName");

    private DatabaseUrl() {
    }

    /** Parses a URL; a null or blank value means {@link #DEFAULT}. */
    public static ConnectionTarget parse(String url) {
        String value = url == null || url.isBlank() ? DEFAULT : url.trim();
        if (value.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return parseJdbc(value);
        }
        int sep = value.indexOf("://");
        if (sep <= 0) {
            throw invalid("it is neither a JDBC URL nor of the form scheme://...", null);
        }
        String scheme = value.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = value.substring(sep + 3);
        int plus = scheme.indexOf('+');
        String base = plus < 0 ? scheme : scheme.substring(0, plus);
        String driver = plus < 0 ? "" : scheme.substring(plus + 1);
        return switch (base) {
            case "sqlite" -> {
                requireDriver(scheme, driver, Set.of("", "pysqlite"), value);
                yield sqlite(value, rest);
            }
            case "postgresql", "postgres" -> {
                requireDriver(scheme, driver, POSTGRES_DRIVERS, value);
                yield server(Engine.POSTGRESQL, "postgresql", 5432, scheme, rest);
            }
            case "mariadb" -> {
                requireDriver(scheme, driver, MARIADB_DRIVERS, value);
                yield server(Engine.MARIADB, "mariadb", 3306, scheme, rest);
            }
            case "mysql" -> {
                requireDriver(scheme, driver, MYSQL_DRIVERS, value);
                yield server(Engine.MARIADB, "mariadb", 3306, scheme, rest);
            }
            default -> throw invalid("the scheme '" + scheme + "' is not supported", value);
        };
    }

    /** The URL as it may appear in logs: any password replaced by ****. */
    public static String mask(String url) {
        if (url == null) {
            return "";
        }
        return URL_USERINFO.matcher(SECRET_PARAM.matcher(url).replaceAll("$1****")).replaceAll("$1****@");
    }

    private static void requireDriver(String scheme, String driver, Set<String> accepted, String url) {
        if (!accepted.contains(driver)) {
            throw invalid("the driver '" + driver + "' in '" + scheme + "' is not supported", url);
        }
    }

    private static ConnectionTarget sqlite(String original, String rest) {
        int q = rest.indexOf('?');
        String pathPart = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> options = q < 0 ? Map.of() : query(rest.substring(q + 1), original);
        if (!pathPart.startsWith("/")) {
            throw invalid("a SQLite URL has no host: write sqlite:///relative.db or sqlite:////absolute/path.db",
                    original);
        }
        String path = decode(pathPart.substring(1), original);
        if (path.isEmpty() || path.equals(":memory:")) {
            throw invalid("SQLite needs a database file; an in-memory database is not shared between connections",
                    original);
        }
        return sqliteTarget(Path.of(path), options, original);
    }

    private static ConnectionTarget sqliteTarget(Path file, Map<String, String> options, String shown) {
        return new ConnectionTarget(Engine.SQLITE, "jdbc:sqlite:" + file, null, null, options, mask(shown), file);
    }

    private static ConnectionTarget server(Engine family, String jdbcScheme, int defaultPort, String scheme,
                                           String rest) {
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostPart = at < 0 ? rest : rest.substring(at + 1);
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), null);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), null);
        }
        String shownPrefix = scheme + "://" + (user == null ? "" : user + (password == null ? "" : ":****") + "@");
        String shown = shownPrefix + hostPart;

        int q = hostPart.indexOf('?');
        Map<String, String> options = q < 0 ? new LinkedHashMap<>() : query(hostPart.substring(q + 1), shown);
        String location = q < 0 ? hostPart : hostPart.substring(0, q);
        int slash = location.indexOf('/');
        String hostPort = slash < 0 ? location : location.substring(0, slash);
        String database = slash < 0 ? "" : decode(location.substring(slash + 1), shown);
        if (hostPort.isEmpty()) {
            throw invalid("it names no host", shown);
        }
        if (database.isEmpty()) {
            throw invalid("it names no database (add /database after the host)", shown);
        }
        String host = hostPort;
        int port = defaultPort;
        int portColon = hostPort.lastIndexOf(':');
        if (portColon > hostPort.lastIndexOf(']')) {
            host = hostPort.substring(0, portColon);
            port = port(hostPort.substring(portColon + 1), shown);
        }
        if (host.isEmpty()) {
            throw invalid("it names no host", shown);
        }
        if (family == Engine.POSTGRESQL) {
            options = renameKeys(options, POSTGRES_OPTION_NAMES);
        } else {
            options.remove("charset"); // the MariaDB driver always speaks utf8mb4
        }
        String jdbcUrl = "jdbc:" + jdbcScheme + "://" + host + ":" + port + "/" + database;
        return new ConnectionTarget(family, jdbcUrl, user, password, options, mask(shown), null);
    }

    private static ConnectionTarget parseJdbc(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            String rest = url.substring("jdbc:sqlite:".length());
            int q = rest.indexOf('?');
            String path = q < 0 ? rest : rest.substring(0, q);
            if (path.startsWith("file:")) {
                path = path.substring(5);
            }
            if (path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory")) {
                throw invalid("SQLite needs a database file; an in-memory database is not shared between connections",
                        url);
            }
            Map<String, String> options = q < 0 ? Map.of() : query(rest.substring(q + 1), url);
            return sqliteTarget(Path.of(path), options, url);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return new ConnectionTarget(Engine.POSTGRESQL, url, null, null, Map.of(), mask(url), null);
        }
        if (lower.startsWith("jdbc:mariadb:")) {
            return new ConnectionTarget(Engine.MARIADB, url, null, null, Map.of(), mask(url), null);
        }
        if (lower.startsWith("jdbc:mysql:")) {
            // MariaDB Connector/J serves MySQL too, but only under its own scheme.
            String rewritten = "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
            return new ConnectionTarget(Engine.MARIADB, rewritten, null, null, Map.of(), mask(url), null);
        }
        int colon = url.indexOf(':', 5);
        String sub = colon < 0 ? url.substring(5) : url.substring(5, colon);
        throw invalid("the JDBC driver '" + sub + "' is not supported", url);
    }

    private static int port(String text, String shown) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("the port '" + text + "' is not a number from 1 to 65535", shown);
    }

    private static Map<String, String> query(String query, String shown) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), shown);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), shown);
            options.put(key, value);
        }
        return options;
    }

    private static Map<String, String> renameKeys(Map<String, String> options, Map<String, String> names) {
        Map<String, String> renamed = new LinkedHashMap<>();
        options.forEach((k, v) -> renamed.put(names.getOrDefault(k, k), v));
        return renamed;
    }

    /** Percent-decoding as URLs do it; unlike form decoding, '+' stays '+'. */
    private static String decode(String text, String shown) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw invalid("it has a malformed %-escape", shown);
                }
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InvalidDatabaseUrlException invalid(String problem, String shown) {
        String where = shown == null ? "" : " (" + mask(shown) + ")";
        return new InvalidDatabaseUrlException("DATABASE_URL is not valid" + where + ": " + problem
                + ". Accepted forms: " + ACCEPTED_FORMS + ".");
    }
}
