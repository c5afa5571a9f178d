package dev.switchboard.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns {@code DATABASE_URL} into a {@link ConnectionTarget}. It takes JDBC URLs and the SQLAlchemy-style
 * URLs that users of other gateways already have. Every failure is one line that never contains the
 * password: the URL is echoed only in its masked form, and not at all when it cannot be split safely.
 * URL syntax lives here; each engine's schemes, drivers, default port and options live in its dialect class.
 */
public final class DatabaseUrl {

    /** Used when DATABASE_URL is unset: a SQLite file under ./data/. */
    public static final String DEFAULT = "sqlite:///./data/switchboard.db";

    /** Every engine's URL form, then every JDBC name, as the engines' dialects declare them. */
    public static final String ACCEPTED_FORMS = acceptedForms();

    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)((?:password|pwd|sslpassword)=)[^&;]*");
    /** Greedy up to the last '@': masking too much is safe, masking too little is not. */
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@]*:).*@");

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
        for (EngineDialect dialect : EngineDialect.all()) {
            EngineFacts.UrlForm form = dialect.facts().url();
            if (form.schemes().contains(base)) {
                if (!form.acceptsDriver(driver)) {
                    throw invalid("the driver '" + driver + "' in '" + scheme + "' is not supported", value);
                }
                return dialect.fromUrl(scheme, rest, value);
            }
        }
        throw invalid("the scheme '" + scheme + "' is not supported", value);
    }

    /** The URL as it may appear in logs: any password replaced by ****. */
    public static String mask(String url) {
        if (url == null) {
            return "";
        }
        return URL_USERINFO.matcher(SECRET_PARAM.matcher(url).replaceAll("$1****")).replaceAll("$1****@");
    }

    /**
     * Reads user:password@host:port/database?options, the form every server engine shares, for {@code dialect};
     * {@code rest} is what follows "://".
     */
    static ConnectionTarget server(EngineDialect dialect, String scheme, String rest) {
        EngineFacts.UrlForm form = dialect.facts().url();
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
        int port = form.defaultPort();
        int portColon = hostPort.lastIndexOf(':');
        if (portColon > hostPort.lastIndexOf(']')) {
            host = hostPort.substring(0, portColon);
            port = port(hostPort.substring(portColon + 1), shown);
        }
        if (host.isEmpty()) {
            throw invalid("it names no host", shown);
        }
        String jdbcUrl = "jdbc:" + form.driverJdbcName() + "://" + host + ":" + port + "/" + database;
        return new ConnectionTarget(form.family(), jdbcUrl, user, password, dialect.driverOptions(options), mask(shown),
                null);
    }

    private static ConnectionTarget parseJdbc(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (EngineDialect dialect : EngineDialect.all()) {
            if (lower.startsWith("jdbc:" + dialect.facts().url().jdbcName() + ":")) {
                return dialect.fromJdbcUrl(url);
            }
        }
        int colon = url.indexOf(':', 5);
        String sub = colon < 0 ? url.substring(5) : url.substring(5, colon);
        throw invalid("the JDBC driver '" + sub + "' is not supported", url);
    }

    private static String acceptedForms() {
        List<String> examples = new ArrayList<>();
        List<String> jdbcNames = new ArrayList<>();
        for (EngineDialect dialect : EngineDialect.all()) {
            examples.add(dialect.urlExample());
            jdbcNames.add("jdbc:" + dialect.facts().url().jdbcName() + ":");
        }
        String jdbc = String.join(", ", jdbcNames.subList(0, jdbcNames.size() - 1)) + " or " + jdbcNames.getLast();
        return String.join(", ", examples) + ", or a " + jdbc + " URL";
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

    /** The options in a URL's query string, percent-decoded, in their order. */
    static Map<String, String> query(String query, String shown) {
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

    /** Percent-decoding as URLs do it; unlike form decoding, '+' stays '+'. */
    static String decode(String text, String shown) {
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

    /** The one-line failure for a URL that cannot be used; {@code shown} is masked again, or null to echo nothing. */
    static InvalidDatabaseUrlException invalid(String problem, String shown) {
        String where = shown == null ? "" : " (" + mask(shown) + ")";
        return new InvalidDatabaseUrlException("DATABASE_URL is not valid" + where + ": " + problem
                + ". Accepted forms: " + ACCEPTED_FORMS + ".");
    }
}
