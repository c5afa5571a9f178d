package dev.switchboard.persistence;

import java.time.Duration;
import java.util.function.Function;

/**
 * The operator's database settings, read from the environment. Pool values left unset take the
 * engine's defaults (see {@link Dialect#defaultPoolSize()} and docs/databases.md).
 *
 * @param url             DATABASE_URL as given (may hold a password: never log it, log the target's masked form)
 * @param password        DATABASE_PASSWORD: replaces the URL's password, as is (no percent-encoding), or null
 * @param poolSize        DB_POOL_SIZE, or null for the engine's default
 * @param minIdle         DB_POOL_MIN_IDLE, or null for the pool size
 * @param poolTimeout     DB_POOL_TIMEOUT_MS: how long a caller waits for a connection
 * @param maxLifetime     DB_POOL_MAX_LIFETIME_MS: capped below the server's idle timeout on MariaDB and MySQL
 * @param idleTimeout     DB_POOL_IDLE_TIMEOUT_MS
 * @param skipMigrations  SWITCHBOARD_SKIP_MIGRATIONS: leave migrations to a separate job
 * @param migrationLockTimeout SWITCHBOARD_MIGRATION_LOCK_TIMEOUT_MS: how long to wait for another migrator
 */
public record DatabaseSettings(String url, String password, Integer poolSize, Integer minIdle, Duration poolTimeout,
                               Duration maxLifetime, Duration idleTimeout, boolean skipMigrations,
                               Duration migrationLockTimeout) {

    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MIGRATION_LOCK_TIMEOUT = Duration.ofMinutes(10);

    /** Settings for a URL with every other value at its default. */
    public static DatabaseSettings forUrl(String url) {
        return new DatabaseSettings(url, null, null, null, DEFAULT_POOL_TIMEOUT, DEFAULT_MAX_LIFETIME,
                DEFAULT_IDLE_TIMEOUT, false, DEFAULT_MIGRATION_LOCK_TIMEOUT);
    }

    /** Reads the settings through {@code env}, which answers a variable's name with its value or null. */
    public static DatabaseSettings from(Function<String, String> env) {
        return new DatabaseSettings(
                env.apply("DATABASE_URL"),
                blankAsNull(env.apply("DATABASE_PASSWORD")),
                positive(env, "DB_POOL_SIZE"),
                nonNegative(env, "DB_POOL_MIN_IDLE"),
                millis(env, "DB_POOL_TIMEOUT_MS", DEFAULT_POOL_TIMEOUT),
                millis(env, "DB_POOL_MAX_LIFETIME_MS", DEFAULT_MAX_LIFETIME),
                millis(env, "DB_POOL_IDLE_TIMEOUT_MS", DEFAULT_IDLE_TIMEOUT),
                flag(env, "SWITCHBOARD_SKIP_MIGRATIONS"),
                millis(env, "SWITCHBOARD_MIGRATION_LOCK_TIMEOUT_MS", DEFAULT_MIGRATION_LOCK_TIMEOUT));
    }

    /** The same settings for another database (the URL's own credentials, no DATABASE_PASSWORD). */
    public DatabaseSettings withUrl(String otherUrl) {
        return new DatabaseSettings(otherUrl, null, poolSize, minIdle, poolTimeout, maxLifetime, idleTimeout,
                skipMigrations, migrationLockTimeout);
    }

    public DatabaseSettings withMigrationLockTimeout(Duration timeout) {
        return new DatabaseSettings(url, password, poolSize, minIdle, poolTimeout, maxLifetime, idleTimeout,
                skipMigrations, timeout);
    }

    /** The same database for a command-line tool: two connections are all one needs, none kept idle. */
    public DatabaseSettings forCommandLine() {
        return new DatabaseSettings(url, password, 2, 0, poolTimeout, maxLifetime, idleTimeout, skipMigrations,
                migrationLockTimeout);
    }

    private static String blankAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Integer positive(Function<String, String> env, String name) {
        Integer value = integer(env, name);
        if (value != null && value < 1) {
            throw new DatabaseStartupException(name + " must be at least 1, not " + value);
        }
        return value;
    }

    private static Integer nonNegative(Function<String, String> env, String name) {
        Integer value = integer(env, name);
        if (value != null && value < 0) {
            throw new DatabaseStartupException(name + " must be 0 or more, not " + value);
        }
        return value;
    }

    private static Duration millis(Function<String, String> env, String name, Duration fallback) {
        Integer value = integer(env, name);
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new DatabaseStartupException(name + " must be a positive number of milliseconds, not " + value);
        }
        return Duration.ofMillis(value);
    }

    private static Integer integer(Function<String, String> env, String name) {
        String text = env.apply(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new DatabaseStartupException(name + " must be a whole number, not '" + text.trim() + "'");
        }
    }

    private static boolean flag(Function<String, String> env, String name) {
        String text = env.apply(name);
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new DatabaseStartupException(name + " must be true or false, not '" + text.trim() + "'");
        };
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + DatabaseUrl.mask(url) + ", password=" + (password == null ? "unset" : "****")
                + ", poolSize=" + poolSize + "]";
    }
}
