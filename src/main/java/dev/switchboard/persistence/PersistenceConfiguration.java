package dev.switchboard.persistence;

import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the database from the environment and migrates it before anything else uses it. */
@Configuration(proxyBeanMethods = false)
public class PersistenceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PersistenceConfiguration.class);

    /**
     * Taken before the database is opened, so that a second gateway on the same SQLite file stops before it
     * writes anything; the database depends on it, so it is released only after the database is closed.
     */
    @Bean(destroyMethod = "close")
    public SingleGatewayLock singleGatewayLock(DatabaseSettings settings) {
        return SingleGatewayLock.take(settings);
    }

    @Bean(destroyMethod = "close")
    public Database database(DatabaseSettings settings, SingleGatewayLock singleGatewayLock) {
        return Database.open(settings);
    }

    /** Exposed so that the pool's metrics are bound; {@link Database} owns and closes it. */
    @Bean(destroyMethod = "")
    public DataSource dataSource(Database database) {
        return database.dataSource();
    }

    /** Depends on the migrator so that nothing reaches the database before it is migrated. */
    @Bean
    public DSLContext dslContext(Database database, SchemaMigrator migrated) {
        return database.dsl();
    }

    @Bean
    public Transactions transactions(Database database, SchemaMigrator migrated) {
        return database.transactions();
    }

    @Bean
    public Dialect dialect(Database database) {
        return database.dialect();
    }

    @Bean
    public SchemaMigrator schemaMigrator(Database database) {
        SchemaMigrator migrator = new SchemaMigrator(database);
        if (database.settings().skipMigrations()) {
            log.info("SWITCHBOARD_SKIP_MIGRATIONS is set: not migrating; readiness waits for the schema");
        } else {
            migrator.migrate();
        }
        return migrator;
    }
}
