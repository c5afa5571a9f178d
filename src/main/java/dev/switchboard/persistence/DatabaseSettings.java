package dev.switchboard.persistence;

import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * The operator's database settings, bound from DATABASE_URL, DATABASE_PASSWORD, DB_POOL_* and SWITCHBOARD_*_MIGRATION*
 * (blank values count as unset). Pool values left unset take the engine's defaults (see
 * {@link Dialect#defaultPoolSize()} and docs/databases.md).
 *
 * @param url             Which database: a JDBC URL or a SQLAlchemy-style URL; see docs/databases.md. It may hold a
 *                        password: never log it, log the target's masked form.
 * @param password        Replaces the password in DATABASE_URL, taken as it is (no percent-encoding): for passwords
 *                        kept in a secret store.
 * @param poolSize        Connections in the pool; unset: 4 on SQLite, 10 elsewhere.
 * @param minIdle         Idle connections kept open; unset: the pool size.
 * @param poolTimeout     How long a request waits for a connection before failing with 503, in milliseconds.
 * @param maxLifetime     A connection's lifetime in milliseconds; capped 30 s below the server's idle cut-off.
 * @param idleTimeout     How long an idle connection above the minimum is kept, in milliseconds.
 * @param skipMigrations  True leaves migrations to a separate job; readiness answers 503 until the schema is current.
 * @param migrationLockTimeout How long startup waits for another instance's migration, in milliseconds.
 */
@ConfigurationProperties("switchboard.database")
public record DatabaseSettings(@DefaultValue("sqlite:///./data/switchboard.db") String url, String password,
                               Integer poolSize, Integer minIdle,
                               @DefaultValue("5000") @DurationUnit(ChronoUnit.MILLIS) Duration poolTimeout,
                               @DefaultValue("1800000") @DurationUnit(ChronoUnit.MILLIS) Duration maxLifetime,
                               @DefaultValue("600000") @DurationUnit(ChronoUnit.MILLIS) Duration idleTimeout,
                               @DefaultValue("false") boolean skipMigrations,
                               @DefaultValue("600000") @DurationUnit(ChronoUnit.MILLIS) Duration migrationLockTimeout) {

    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MIGRATION_LOCK_TIMEOUT = Duration.ofMinutes(10);

    public DatabaseSettings {
        if (poolSize != null && poolSize < 1) {
            throw new InvalidSettingException("DB_POOL_SIZE must be at least 1, not " + poolSize);
        }
        if (minIdle != null && minIdle < 0) {
            throw new InvalidSettingException("DB_POOL_MIN_IDLE must be 0 or more, not " + minIdle);
        }
        positive("DB_POOL_TIMEOUT_MS", poolTimeout);
        positive("DB_POOL_MAX_LIFETIME_MS", maxLifetime);
        positive("DB_POOL_IDLE_TIMEOUT_MS", idleTimeout);
        positive("SWITCHBOARD_MIGRATION_LOCK_TIMEOUT_MS", migrationLockTimeout);
    }

    /** Settings for a URL with every other value at its default. */
    public static DatabaseSettings forUrl(String url) {
        return new DatabaseSettings(url, null, null, null, DEFAULT_POOL_TIMEOUT, DEFAULT_MAX_LIFETIME,
                DEFAULT_IDLE_TIMEOUT, false, DEFAULT_MIGRATION_LOCK_TIMEOUT);
    }

    /**
     * Reads the settings through {@code env}, which answers a variable's name with its value or null: the command-line
     * tools' way, which starts no Spring context.
     *
     * @throws InvalidSettingException naming the variable, when a value is malformed
     */
    public static DatabaseSettings from(Function<String, String> env) {
        return SettingsBinding.bind(DatabaseSettings.class, env);
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

    private static void positive(String variable, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(variable + " must be a positive number of milliseconds, not "
                    + value.toMillis());
        }
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + DatabaseUrl.mask(url) + ", password=" + (password == null ? "unset" : "****")
                + ", poolSize=" + poolSize + "]";
    }
}
