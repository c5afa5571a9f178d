package dev.switchboard.persistence;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where to connect: a JDBC URL without credentials, the credentials beside it, and the driver options.
 * Credentials never travel inside {@link #jdbcUrl()} when they came from a SQLAlchemy-style URL,
 * so logging the JDBC URL can never leak them; {@link #masked()} is the form meant for logs.
 *
 * @param family     SQLITE, POSTGRESQL or MARIADB; the MariaDB driver also serves MySQL, told apart later by the server
 * @param sqliteFile the database file for SQLite, null for server engines
 */
public record ConnectionTarget(Engine family, String jdbcUrl, String user, String password,
                               Map<String, String> options, String masked, Path sqliteFile) {

    public ConnectionTarget {
        // The URL's order, kept: doctor output and logs list options as the operator wrote them.
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Driver properties: the options plus the credentials, as DriverManager and HikariCP take them. */
    public Properties driverProperties() {
        Properties props = new Properties();
        props.putAll(options);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** The same target with another password (DATABASE_PASSWORD); the masked form never shows one anyway. */
    public ConnectionTarget withPassword(String newPassword) {
        return new ConnectionTarget(family, jdbcUrl, user, newPassword, options, masked, sqliteFile);
    }

    @Override
    public String toString() {
        return masked;
    }
}
