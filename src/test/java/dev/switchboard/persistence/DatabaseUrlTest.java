package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    private static final String SECRET = "s3cr3t-Pw";

    @Test
    void unsetMeansSqliteUnderData() {
        ConnectionTarget target = DatabaseUrl.parse(null);
        assertThat(target.family()).isEqualTo(Engine.SQLITE);
        assertThat(target.sqliteFile()).isEqualTo(Path.of("./data/switchboard.db"));
        assertThat(DatabaseUrl.parse("  ").jdbcUrl()).isEqualTo("jdbc:sqlite:./data/switchboard.db");
    }

    @Test
    void sqliteRelativeAndAbsolutePaths() {
        assertThat(DatabaseUrl.parse("sqlite:///relative.db").jdbcUrl()).isEqualTo("jdbc:sqlite:relative.db");
        assertThat(DatabaseUrl.parse("sqlite:////var/lib/sb/registry.db").sqliteFile())
                .isEqualTo(Path.of("/var/lib/sb/registry.db"));
        assertThat(DatabaseUrl.parse("sqlite:///dir%20with%20space/x.db").sqliteFile())
                .isEqualTo(Path.of("dir with space/x.db"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgres"})
    void postgresqlForms(String scheme) {
        ConnectionTarget t = DatabaseUrl.parse(scheme + "://app:p%40ss%3Aw%2Frd%25+x@db.example:6543/registry"
                + "?sslmode=require&connect_timeout=7");
        assertThat(t.family()).isEqualTo(Engine.POSTGRESQL);
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/registry");
        assertThat(t.user()).isEqualTo("app");
        assertThat(t.password()).isEqualTo("p@ss:w/rd%+x");
        assertThat(t.options()).containsExactlyInAnyOrderEntriesOf(Map.of("sslmode", "require", "connectTimeout", "7"));
        assertThat(t.masked()).isEqualTo(scheme + "://app:****@db.example:6543/registry"
                + "?sslmode=require&connect_timeout=7");
    }

    @ParameterizedTest
    @CsvSource({"mariadb+mariadbconnector", "mariadb+pymysql", "mysql+pymysql", "mysql+mysqldb", "mariadb", "mysql"})
    void mariaDbAndMySqlFormsUseTheMariaDbDriverAndLetTheServerSayWhichItIs(String scheme) {
        ConnectionTarget t = DatabaseUrl.parse(scheme + "://root:@127.0.0.1/sb?charset=utf8mb4&sslMode=trust");
        assertThat(t.family()).isEqualTo(Engine.MARIADB);
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/sb");
        assertThat(t.user()).isEqualTo("root");
        assertThat(t.password()).isEmpty();
        assertThat(t.options()).containsExactly(Map.entry("sslMode", "trust"));
    }

    @Test
    void ipv6HostsAndDefaultPorts() {
        assertThat(DatabaseUrl.parse("postgresql://u:p@[::1]/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
        assertThat(DatabaseUrl.parse("mariadb://u@[::1]:3307/db").jdbcUrl()).isEqualTo("jdbc:mariadb://[::1]:3307/db");
    }

    @Test
    void jdbcUrlsPassThroughAndJdbcMysqlUsesTheMariaDbDriver() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=u&password=" + SECRET).masked())
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=****");
        assertThat(DatabaseUrl.parse("jdbc:mysql://h:3306/db").jdbcUrl()).isEqualTo("jdbc:mariadb://h:3306/db");
        assertThat(DatabaseUrl.parse("jdbc:sqlite:/tmp/x.db").sqliteFile()).isEqualTo(Path.of("/tmp/x.db"));
        assertThat(DatabaseUrl.parse("jdbc:mariadb://u:" + SECRET + "@h/db").masked())
                .isEqualTo("jdbc:mariadb://u:****@h/db");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "oracle://u:PASSWORD@h/db                | the scheme 'oracle' is not supported",
            "postgresql+asyncpg://u:PASSWORD@h/db    | the driver 'asyncpg' in 'postgresql+asyncpg' is not supported",
            "postgresql://u:PASSWORD@h:99999/db      | the port '99999' is not a number from 1 to 65535",
            "postgresql://u:PASSWORD@h:abc/db        | the port 'abc' is not a number from 1 to 65535",
            "postgresql://u:PASSWORD@h               | it names no database",
            "mariadb://u:PASSWORD@/db                | it names no host",
            "mysql://u:PASSWORD@h/db%zz              | it has a malformed %-escape",
            "sqlite://host/x.db                      | a SQLite URL has no host",
            "sqlite:///:memory:                      | SQLite needs a database file",
            "jdbc:sqlite::memory:                    | SQLite needs a database file",
            "jdbc:oracle:thin:@h:1521:x              | the JDBC driver 'oracle' is not supported",
            "just-some-text-PASSWORD                 | it is neither a JDBC URL nor of the form scheme://"})
    void badUrlsGetOneClearLineThatListsTheAcceptedFormsAndHidesThePassword(String url, String problem) {
        String withSecret = url.replace("PASSWORD", SECRET);
        assertThatThrownBy(() -> DatabaseUrl.parse(withSecret))
                .isInstanceOf(InvalidDatabaseUrlException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("DATABASE_URL is not valid")
                            .contains(problem)
                            .contains("Accepted forms: " + DatabaseUrl.ACCEPTED_FORMS)
                            .doesNotContain(SECRET)
                            .doesNotContain("\n");
                    assertThat(e.getStackTrace()).isEmpty();
                });
    }

    @Test
    void maskingHidesPasswordsEvenWhenTheyHoldAtSigns() {
        assertThat(DatabaseUrl.mask("postgresql://u:a@b@c@host/db")).isEqualTo("postgresql://u:****@host/db");
        assertThat(DatabaseUrl.mask("jdbc:postgresql://h/db?pwd=x;password=y")).doesNotContain("x;").doesNotContain("=y");
    }

    @Test
    void poolSettingsHaveDefaultsAndRejectNonsenseClearly() {
        DatabaseSettings defaults = DatabaseSettings.from(name -> null);
        assertThat(defaults.poolSize()).isNull();
        assertThat(defaults.poolTimeout()).isEqualTo(DatabaseSettings.DEFAULT_POOL_TIMEOUT);
        assertThat(defaults.skipMigrations()).isFalse();
        assertThat(DatabaseSettings.from(Map.of("DB_POOL_SIZE", "7", "SWITCHBOARD_SKIP_MIGRATIONS", "true")::get))
                .satisfies(s -> {
                    assertThat(s.poolSize()).isEqualTo(7);
                    assertThat(s.skipMigrations()).isTrue();
                });
        assertThatThrownBy(() -> DatabaseSettings.from(Map.of("DB_POOL_SIZE", "lots")::get))
                .hasMessage("DB_POOL_SIZE must be a whole number, not 'lots'");
        assertThatThrownBy(() -> DatabaseSettings.from(Map.of("DB_POOL_SIZE", "0")::get))
                .hasMessage("DB_POOL_SIZE must be at least 1, not 0");
        assertThatThrownBy(() -> DatabaseSettings.from(Map.of("SWITCHBOARD_SKIP_MIGRATIONS", "maybe")::get))
                .hasMessage("SWITCHBOARD_SKIP_MIGRATIONS must be true or false, not 'maybe'");
    }

    @Test
    void versionsAreReadFromWhatServersReport() {
        assertThat(EngineVersion.parse("10.11.19-MariaDB-0+deb12u1")).satisfies(v -> {
            assertThat(v.toString()).isEqualTo("10.11.19");
            assertThat(v.isBefore(Engine.MARIADB.minimumVersion())).isFalse();
        });
        assertThat(EngineVersion.parse("15.20 (Debian 15.20-0+deb12u1)").toString()).isEqualTo("15.20");
        assertThat(EngineVersion.parse("10.5.23-MariaDB").isBefore(Engine.MARIADB.minimumVersion())).isTrue();
        assertThat(EngineVersion.parse("3.34.1").isBefore(Engine.SQLITE.minimumVersion())).isTrue();
        assertThat(EngineVersion.parse("13.14").isBefore(Engine.POSTGRESQL.minimumVersion())).isTrue();
        assertThat(EngineVersion.parse("8.0.36").isBefore(Engine.MYSQL.minimumVersion())).isFalse();
    }

    @Test
    void aServerOlderThanSupportedIsRefusedNamingBothVersionsAndHidingThePassword() {
        ConnectionTarget target = DatabaseUrl.parse("mariadb://app:" + SECRET + "@db/registry");
        ServerInfo old = new ServerInfo(Engine.MARIADB, EngineVersion.parse("10.5.23-MariaDB"), null, null);
        assertThatThrownBy(() -> Database.requireSupported(old, target))
                .isInstanceOf(DatabaseStartupException.class)
                .hasMessage("MariaDB 10.5.23 at mariadb://app:****@db/registry is older than the oldest supported "
                        + "version, 10.6; upgrade the server");
        Database.requireSupported(new ServerInfo(Engine.MARIADB, EngineVersion.parse("10.6.0"), null, null), target);
    }
}
