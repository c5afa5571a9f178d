package dev.switchboard.federation;

import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.UpstreamHealthRepository.Outcome;
import dev.switchboard.jobs.BackgroundLoop;
import dev.switchboard.jobs.JobLeaseRepository;
import dev.switchboard.jobs.SharedJobs;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Health checks of upstreams, shared by replicas: one shared job per enabled upstream
 * ({@code upstream-health:<id>}), so that across replicas each upstream is checked once per interval. A check
 * pings the upstream over its pooled connection (server/discover for a 2026-07-28 upstream, which has no ping).
 * After SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER consecutive failures the upstream is unreachable: its entries are no
 * longer served and calls to it fail fast, until a check succeeds again.
 */
@Component
public class UpstreamHealth implements SmartLifecycle {

    /** The prefix of every health job's name; the rest is the upstream's id. */
    public static final String JOB_PREFIX = "upstream-health:";
    private static final Logger log = LoggerFactory.getLogger(UpstreamHealth.class);

    private final SharedJobs jobs;
    private final JobLeaseRepository leases;
    private final UpstreamGatewayRepository gateways;
    private final UpstreamHealthRepository health;
    private final ObjectProvider<UpstreamConnections> connections;
    private final Duration interval;
    private final Duration timeout;
    private final int unhealthyAfter;
    private final Set<UUID> scheduled = new HashSet<>();
    private final BackgroundLoop reconciler;

    public UpstreamHealth(SharedJobs jobs, JobLeaseRepository leases, UpstreamGatewayRepository gateways,
                          UpstreamHealthRepository health, ObjectProvider<UpstreamConnections> connections,
                          UpstreamSettings settings) {
        this.jobs = jobs;
        this.leases = leases;
        this.gateways = gateways;
        this.health = health;
        this.connections = connections;
        this.interval = settings.healthInterval();
        this.timeout = settings.healthTimeout();
        this.unhealthyAfter = settings.unhealthyAfter();
        // Registry changes are picked up within a second (or one interval, when that is shorter).
        Duration every = interval.compareTo(Duration.ofSeconds(1)) < 0 ? interval : Duration.ofSeconds(1);
        this.reconciler = new BackgroundLoop("upstream-health-reconciler", this::reconcile, () -> every, log,
                // The database may be away, or not migrated yet: said once, and tried again.
                "Could not bring upstream health checks up to date; trying again: {}",
                "Upstream health checks are up to date again");
    }

    /** The job name of an upstream's health check. */
    public static String jobName(UUID gatewayId) {
        return JOB_PREFIX + gatewayId;
    }

    /**
     * Whether calls to the upstream are worth making: it exists, is enabled, and the health checks have not found
     * it unreachable. One indexed read; callers fail fast when false.
     */
    public boolean isReachable(UUID gatewayId) {
        return health.isAvailable(gatewayId);
    }

    /**
     * Brings this replica's health jobs in line with the registry: a job for every enabled upstream, none for the
     * others, and no rows left behind for upstreams that are gone. Cheap: two indexed reads when nothing changed.
     */
    public void reconcile() {
        // Rows first, upstreams second: a row registered for a new upstream is then never taken for a leftover.
        Set<String> rows = Set.copyOf(leases.namesStartingWith(JOB_PREFIX));
        Set<UUID> wanted = health.enabledGateways();
        synchronized (scheduled) {
            for (UUID id : wanted) {
                // A row deleted under a job this replica still runs (a race with another replica) comes back.
                if (scheduled.add(id) || !rows.contains(jobName(id))) {
                    jobs.schedule(jobName(id), interval, () -> check(id));
                }
            }
            for (UUID id : Set.copyOf(scheduled)) {
                if (!wanted.contains(id)) {
                    scheduled.remove(id);
                    jobs.cancel(jobName(id));
                }
            }
        }
        for (String name : rows) {
            UUID id = idOf(name);
            if (id == null || !wanted.contains(id)) {
                leases.delete(name); // an upstream deleted or disabled while no replica was watching
            }
        }
    }

    /** One check of one upstream, and what it changed; empty when the upstream is gone or disabled. */
    public Optional<Outcome> check(UUID gatewayId) {
        Optional<UpstreamGateway> gateway = gateways.find(gatewayId).filter(UpstreamGateway::enabled);
        if (gateway.isEmpty()) {
            return Optional.empty(); // the next reconcile drops the job
        }
        String failure = probe(gateway.get());
        Instant now = Instant.now();
        Optional<Outcome> outcome = failure == null ? health.recordSuccess(gatewayId, now)
                : health.recordFailure(gatewayId, now, failure, unhealthyAfter);
        outcome.ifPresent(o -> report(gateway.get(), o));
        return outcome;
    }

    /** Null when the upstream answered (an error answer included: it is alive), else why it did not. */
    private String probe(UpstreamGateway gateway) {
        try {
            DeadlineRun.within(timeout, "upstream-health-check", () -> {
                UpstreamConnection connection = connections.getObject().of(gateway);
                String method = Revision.isStatelessRevision(connection.protocolVersion())
                        ? MethodNames.SERVER_DISCOVER : MethodNames.PING;
                connection.request(method, null, UpstreamExchange.NONE);
                return null;
            }, () -> "no answer to the health check: timed out after " + UpstreamFailure.seconds(timeout));
            return null;
        } catch (JsonRpcException e) {
            return null;
        } catch (UpstreamException e) {
            // The kind first ("unreachable: ..."), then the same words a failed discovery shows.
            return e.kind().name().toLowerCase() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return UpstreamFailure.describe(e);
        }
    }

    private void report(UpstreamGateway gateway, Outcome outcome) {
        if (outcome.flipped() && outcome.reachable()) {
            log.info("Upstream {} ({}) is reachable again", gateway.name(), gateway.id());
        } else if (outcome.flipped()) {
            log.warn("Upstream {} ({}) is unreachable after {} failed health checks; its tools, resources and prompts"
                    + " are hidden until it answers again. Last error: {}", gateway.name(), gateway.id(),
                    outcome.health().consecutiveFailures(), outcome.health().lastError());
        }
        if (!outcome.reachable()) {
            // A broken connection would only fail again; the next check opens a fresh one.
            connections.ifAvailable(pool -> pool.forget(gateway.id()));
        }
    }

    private static UUID idOf(String jobName) {
        try {
            return UUID.fromString(jobName.substring(JOB_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void start() {
        reconciler.start(Duration.ZERO);
    }

    @Override
    public void stop() {
        reconciler.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return reconciler.isRunning();
    }
}
