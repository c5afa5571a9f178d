package dev.switchboard.observability;

import dev.switchboard.persistence.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tags every meter with the database engine, and exports which engine and version this instance runs on and whether
 * the database answers it.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseMetrics {

    @Bean
    public MeterRegistryCustomizer<MeterRegistry> engineTag(Database database) {
        return registry -> registry.config().commonTags("engine", database.server().engine().id());
    }

    @Bean
    public MeterBinder databaseInfo(Database database) {
        return registry -> Gauge.builder("switchboard.database.info", () -> 1)
                .description("The registry database this instance uses; always 1")
                .tag("engine", database.server().engine().id())
                .tag("version", database.server().version().toString())
                .register(registry);
    }

    @Bean
    public MeterBinder databaseAvailable(Readiness readiness) {
        return registry -> Gauge.builder("switchboard.database.available", () -> readiness.databaseAvailable() ? 1 : 0)
                .description("1 while the registry database answers this instance, 0 during an outage (MCP is then"
                        + " served from the catalog in memory)")
                .register(registry);
    }
}
