package dev.switchboard.observability;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.persistence.SchemaStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Decides whether this instance should receive traffic: the database answers within a bound, and its schema
 * has every changeset this build carries.
 */
@Component
public class Readiness implements AutoCloseable {

    static final Duration DATABASE_DEADLINE = Duration.ofSeconds(2);

    private final Database database;
    private final SchemaMigrator migrator;
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

    public Readiness(Database database, SchemaMigrator migrator) {
        this.database = database;
        this.migrator = migrator;
    }

    /** The verdict and the facts behind it, as the JSON body of /ready. */
    public record Verdict(boolean ready, Map<String, Object> body) {
    }

    /** Spring closes the probe threads' executor with the context. */
    @Override
    public void close() {
        probes.shutdownNow();
    }

    public Verdict check() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "NOT_READY");
        body.put("database", Map.of("engine", database.server().engine().id(),
                "version", database.server().version().toString()));
        SchemaStatus schema;
        Future<SchemaStatus> probe = probes.submit(migrator::status);
        try {
            schema = probe.get(DATABASE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            body.put("reason", "the database did not answer within " + DATABASE_DEADLINE.toSeconds() + " s");
            return new Verdict(false, body);
        } catch (ExecutionException e) {
            body.put("reason", "the database did not answer: " + e.getCause().getMessage());
            return new Verdict(false, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body.put("reason", "interrupted");
            return new Verdict(false, body);
        }
        body.put("schema", Map.of("changesets", schema.known(), "pending", schema.pending().size()));
        if (!schema.current()) {
            body.put("reason", "the schema is behind: " + schema.pending().size() + " of " + schema.known()
                    + " changesets are not applied; run the migrations (unset SWITCHBOARD_SKIP_MIGRATIONS, "
                    + "or run the migration job)");
            return new Verdict(false, body);
        }
        body.put("status", "READY");
        return new Verdict(true, body);
    }
}
