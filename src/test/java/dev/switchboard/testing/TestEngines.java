package dev.switchboard.testing;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The engines a test run covers, started once per JVM.
 *
 * <ul>
 *   <li>SWITCHBOARD_TEST_ENGINES: the engines that must run, comma-separated (sqlite, postgresql, mariadb,
 *       mysql). Default: sqlite, postgresql, mariadb, plus mysql when its URL is set.</li>
 *   <li>SWITCHBOARD_TEST_POSTGRES_URL, SWITCHBOARD_TEST_MARIADB_URL, SWITCHBOARD_TEST_MYSQL_URL: a server to
 *       use, in any DATABASE_URL form, as a user that may create databases and users. Without one,
 *       PostgreSQL and MariaDB start embedded; MySQL has no embedded form and must be given.</li>
 * </ul>
 * A required engine that cannot be had fails every engine test: it is never skipped silently.
 *
 * <p>A test that uses these engines ({@link EngineTest}, {@link #all()}, {@link #get}) carries the JUnit tag
 * {@value #TAG}; {@link #scratchDatabaseUrl()} is SQLite whatever the run's engines are, and needs none.
 */
public final class TestEngines {

    /** The tag of the tests that use the run's engines: .ci/run's passes on other engines run only those. */
    public static final String TAG = "database";

    private static List<TestEngine> engines;
    private static RuntimeException failure;

    private static SqliteDatabases scratch;

    private TestEngines() {
    }

    static synchronized List<TestEngine> required() {
        if (engines == null && failure == null) {
            try {
                engines = start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestEngines::closeAll, "test-engines-stop"));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new ExtensionConfigurationException("A required test engine is not available: "
                    + failure.getMessage(), failure);
        }
        return engines;
    }

    /** The engine under test of the given kind, for tests that need one specific engine. */
    public static TestEngine get(Engine engine) {
        return required().stream().filter(e -> e.engine() == engine).findFirst()
                .orElseThrow(() -> new IllegalStateException(engine.id() + " is not in SWITCHBOARD_TEST_ENGINES"));
    }

    /**
     * A fresh SQLite database for tests whose subject does not depend on the engine (authentication, the CLI):
     * embedded SQLite is always at hand, whichever engines SWITCHBOARD_TEST_ENGINES asks for.
     */
    public static synchronized String scratchDatabaseUrl() {
        if (scratch == null) {
            scratch = new SqliteDatabases();
            Runtime.getRuntime().addShutdownHook(new Thread(scratch::close, "scratch-sqlite-remove"));
        }
        return scratch.createDatabase("scratch");
    }

    public static List<TestEngine> all() {
        return required();
    }

    private static List<TestEngine> start() {
        Map<Engine, String> urls = new LinkedHashMap<>();
        urls.put(Engine.POSTGRESQL, setting("SWITCHBOARD_TEST_POSTGRES_URL"));
        urls.put(Engine.MARIADB, setting("SWITCHBOARD_TEST_MARIADB_URL"));
        urls.put(Engine.MYSQL, setting("SWITCHBOARD_TEST_MYSQL_URL"));
        List<TestEngine> started = new ArrayList<>();
        try {
            for (Engine engine : requiredEngines(urls.get(Engine.MYSQL) != null)) {
                started.add(start(engine, urls.get(engine)));
            }
        } catch (RuntimeException e) {
            started.forEach(TestEngine::close);
            throw e;
        }
        return List.copyOf(started);
    }

    private static List<Engine> requiredEngines(boolean mysqlGiven) {
        String listed = setting("SWITCHBOARD_TEST_ENGINES");
        if (listed == null) {
            listed = "sqlite,postgresql,mariadb" + (mysqlGiven ? ",mysql" : "");
        }
        List<Engine> engines = new ArrayList<>();
        for (String name : listed.split(",")) {
            String id = name.trim().toLowerCase(Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            Engine engine = Engine.fromId(id);
            if (engine == null) {
                throw new IllegalArgumentException("SWITCHBOARD_TEST_ENGINES names an unknown engine: " + id);
            }
            engines.add(engine);
        }
        return engines;
    }

    private static TestEngine start(Engine engine, String url) {
        TestEngine.DatabaseProvider provider = switch (engine) {
            case SQLITE -> new SqliteDatabases();
            case POSTGRESQL -> url != null ? PostgresDatabases.onServer(url) : PostgresDatabases.embedded();
            case MARIADB -> url != null ? MariaDbDatabases.onServer(url) : MariaDbDatabases.embedded();
            case MYSQL -> {
                if (url == null) {
                    throw new IllegalStateException("mysql is required but SWITCHBOARD_TEST_MYSQL_URL is not set");
                }
                yield MariaDbDatabases.onServer(url);
            }
        };
        try (Database probe = Database.open(DatabaseSettings.forUrl(provider.createDatabase("probe")))) {
            if (probe.server().engine() != engine) {
                throw new IllegalStateException("the " + engine.id() + " URL reaches a "
                        + probe.server().engine().id() + " server");
            }
            String label = engine.id() + " " + probe.server().version();
            return new TestEngine(engine, label, provider);
        } catch (RuntimeException e) {
            provider.close();
            throw e;
        }
    }

    private static String setting(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static synchronized void closeAll() {
        if (engines != null) {
            engines.forEach(TestEngine::close);
        }
    }
}
