package dev.switchboard.settings;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * The environment variables operators set, and the typed properties ({@code switchboard.*}) they bind to. Most
 * follow Spring Boot's rule ({@code SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL} is
 * {@code switchboard.mcp.change-poll-interval}); the older names that do not (DATABASE_URL, DB_POOL_*, JWT_*,
 * ADMIN_*, ...) are listed here. A property source answers each property with its variable, looked up like any
 * other setting: environment, system property, command-line argument.
 */
public final class SettingVariables implements EnvironmentPostProcessor, Ordered {

    /** Properties whose variable does not follow Spring Boot's rule; these read a blank value as unset, as always. */
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("switchboard.database.url", "DATABASE_URL"),
            Map.entry("switchboard.database.password", "DATABASE_PASSWORD"),
            Map.entry("switchboard.database.pool-size", "DB_POOL_SIZE"),
            Map.entry("switchboard.database.min-idle", "DB_POOL_MIN_IDLE"),
            Map.entry("switchboard.database.pool-timeout", "DB_POOL_TIMEOUT_MS"),
            Map.entry("switchboard.database.max-lifetime", "DB_POOL_MAX_LIFETIME_MS"),
            Map.entry("switchboard.database.idle-timeout", "DB_POOL_IDLE_TIMEOUT_MS"),
            Map.entry("switchboard.database.skip-migrations", "SWITCHBOARD_SKIP_MIGRATIONS"),
            Map.entry("switchboard.database.migration-lock-timeout", "SWITCHBOARD_MIGRATION_LOCK_TIMEOUT_MS"),
            Map.entry("switchboard.security.jwt-secret", "JWT_SECRET"),
            Map.entry("switchboard.security.jwt-public-key", "JWT_PUBLIC_KEY"),
            Map.entry("switchboard.security.jwt-jwks-url", "JWT_JWKS_URL"),
            Map.entry("switchboard.security.jwt-audience", "JWT_AUDIENCE"),
            Map.entry("switchboard.security.jwt-issuer", "JWT_ISSUER"),
            Map.entry("switchboard.security.jwt-clock-skew", "JWT_CLOCK_SKEW_SECONDS"),
            Map.entry("switchboard.security.admin-user", "ADMIN_USER"),
            Map.entry("switchboard.security.admin-password", "ADMIN_PASSWORD"),
            Map.entry("switchboard.security.basic-auth-enabled", "SWITCHBOARD_BASIC_AUTH_ENABLED"),
            Map.entry("switchboard.security.login-failures-per-minute", "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE"),
            Map.entry("switchboard.security.secret-key", "SWITCHBOARD_SECRET_KEY"),
            Map.entry("switchboard.security.old-secret-key", "SWITCHBOARD_OLD_SECRET_KEY"),
            Map.entry("switchboard.security.data-dir", "SWITCHBOARD_DATA_DIR"));

    private static final String PREFIX = "switchboard.";
    private static final String SOURCE = "switchboardVariables";
    /** The name under which Spring Boot attaches its view of every property source to the environment. */
    private static final String ATTACHED = "configurationProperties";

    /** The variable an operator sets for {@code property} (a canonical {@code switchboard.*} name). */
    public static String variable(String property) {
        String named = NAMED.get(property);
        return named != null ? named : property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The value of {@code property} read through {@code lookup}, which answers a variable's name; null when unset.
     * Only {@code switchboard.*} names are answered, so Spring Boot's own properties are left alone.
     */
    static String resolve(String property, Function<String, String> lookup) {
        if (!property.startsWith(PREFIX)) {
            return null;
        }
        String value = lookup.apply(variable(property));
        return value != null && value.isBlank() && NAMED.containsKey(property) ? null : value;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Last: a property set under its canonical name anywhere else wins over its variable.
        environment.getPropertySources().addLast(new Aliases(SOURCE, variable -> raw(environment, variable)));
    }

    /** The variable as set, its placeholders left for the binder to resolve once, as for any other property. */
    private static String raw(ConfigurableEnvironment environment, String variable) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            // Neither this source nor Boot's view of all sources, which would only ask this one again.
            if (source.getName().equals(SOURCE) || source.getName().equals(ATTACHED)) {
                continue;
            }
            Object value = source.getProperty(variable);
            if (value != null) {
                return value.toString();
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Answers each {@code switchboard.*} property with the variable it is known by. */
    static final class Aliases extends PropertySource<Function<String, String>> {

        Aliases(String name, Function<String, String> lookup) {
            super(name, lookup);
        }

        @Override
        public Object getProperty(String name) {
            return resolve(name, getSource());
        }
    }
}
