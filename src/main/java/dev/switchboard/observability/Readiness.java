package dev.switchboard.observability;

import dev.switchboard.catalog.CatalogCache;
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
 * has every changeset this build carries. While the database is away, an instance that holds a whole catalog in
 * memory stays ready, with the database marked unavailable in the body: it still serves MCP, and pulling every
 * replica out of its load balancer at once would turn a registry outage into a gateway outage. A gateway told to
 * stop is not ready ({@link ShutdownDrain}).
 */
@Component
public class Readiness implements AutoCloseable {

    static final Duration DATABASE_DEADLINE = Duration.ofSeconds(2);

    private final Database database;
    private final SchemaMigrator migrator;
    private final CatalogCache catalog;
    private final ShutdownDrain drain;
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    /** Whether the last probe reached the database; what switchboard_database_available reports with the cache. */
    private volatile boolean lastProbeAnswered = true;

    public Readiness(Database database, SchemaMigrator migrator, CatalogCache catalog, ShutdownDrain drain) {
        this.database = database;
        this.migrator = migrator;
        this.catalog = catalog;
        this.drain = drain;
    }

    /** False while the database does not answer this instance's probes or its catalog's checks. */
    public boolean databaseAvailable() {
        return lastProbeAnswered && catalog.unavailableSince().isEmpty();
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
        if (drain.draining()) {
            body.put("reason", "the gateway is stopping: it serves what it is sent until it stops taking connections,"
                    + " and load balancers should send to the other replicas");
            return new Verdict(false, body);
        }
        body.put("database", databaseFacts(false));
        SchemaStatus schema;
        Future<SchemaStatus> probe = probes.submit(migrator::status);
        try {
            schema = probe.get(DATABASE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return unanswered(body, "the database did not answer within " + DATABASE_DEADLINE.toSeconds() + " s");
        } catch (ExecutionException e) {
            return unanswered(body, "the database did not answer: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body.put("reason", "interrupted");
            return new Verdict(false, body);
        }
        lastProbeAnswered = true;
        body.put("database", databaseFacts(true));
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

    /** Not ready, unless a whole catalog in memory lets this instance serve MCP without the database. */
    private Verdict unanswered(Map<String, Object> body, String reason) {
        lastProbeAnswered = false;
        if (!catalog.holdsWholeSnapshot()) {
            body.put("reason", reason);
            return new Verdict(false, body);
        }
        body.put("status", "READY");
        body.put("reason", reason + "; MCP requests are served from the catalog held in memory, and the registry"
                + " API answers 503 until the database is back");
        return new Verdict(true, body);
    }

    private Map<String, Object> databaseFacts(boolean available) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("engine", database.server().engine().id());
        facts.put("version", database.server().version().toString());
        facts.put("available", available);
        return facts;
    }
}
