package dev.switchboard.catalog;

import dev.switchboard.persistence.DatabaseBusyException;
import dev.switchboard.persistence.DatabaseUnavailableException;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Serves the catalog to MCP requests from memory. A {@link CatalogSnapshot} stands until the catalog's revision
 * moves. The revision is read again after any write by this process, so a client sees a change as soon as the
 * request that made it has returned, and otherwise at most once per poll interval, which bounds how long a change
 * made by another replica, or by the command line, takes to be seen.
 *
 * <p>Each snapshot is read whole before it is served, so that it can stand in for the database: when the revision
 * cannot be read, requests keep getting the last snapshot, and the database is looked at again in the background,
 * once per poll interval, until it answers (docs/reliability.md).
 */
@Component
public class CatalogCache {

    private static final Logger log = LoggerFactory.getLogger(CatalogCache.class);

    private record Checked(CatalogSnapshot snapshot, long writes, long atNanos) {
    }

    private final Transactions transactions;
    private final CatalogRevision revision;
    private final CatalogSnapshot.Sources sources;
    private final long maxAgeNanos;
    private final ReentrantLock checking = new ReentrantLock();
    private final AtomicBoolean lookingAgain = new AtomicBoolean();
    private volatile Checked last;
    private volatile long lastLookNanos = System.nanoTime();
    /** When the database last failed to answer a check, while it has not answered since; null when it answers. */
    private volatile Instant unavailableSince;

    public CatalogCache(Transactions transactions, CatalogRevision revision, ToolRepository tools,
                        ResourceRepository resources, PromptRepository prompts, UpstreamGatewayRepository gateways,
                        VirtualServerRepository servers, UpstreamHealthRepository health,
                        CatalogSettings settings) {
        this.transactions = transactions;
        this.revision = revision;
        this.sources = new CatalogSnapshot.Sources(tools, resources, prompts, gateways, servers, health,
                new UpstreamPresentation(transactions));
        this.maxAgeNanos = settings.changePollInterval().toNanos();
    }

    /**
     * The catalog as it is now, give or take changes made elsewhere within about a poll interval. Past the interval,
     * a whole snapshot is still served at once while the revision is read again in the background, so no request
     * waits for the database unless this process has written since (then it reads, to see its own write).
     */
    public CatalogSnapshot current() {
        Checked seen = last;
        long writes = transactions.writes();
        long now = System.nanoTime();
        if (fresh(seen, writes, now)) {
            return seen.snapshot();
        }
        if (seen != null && seen.writes() == writes && seen.snapshot().isWhole()) {
            lookAgainInBackground(now);
            return seen.snapshot();
        }
        return checked();
    }

    /** The catalog as it is now: the revision is read whatever the age of the last look. */
    public CatalogSnapshot checked() {
        checking.lock();
        try {
            return check();
        } finally {
            checking.unlock();
        }
    }

    /** Since when the database has not answered the catalog's checks; empty while it answers. */
    public Optional<Instant> unavailableSince() {
        return Optional.ofNullable(unavailableSince);
    }

    /** True when a snapshot is held that can answer every MCP request without the database. */
    public boolean holdsWholeSnapshot() {
        Checked seen = last;
        return seen != null && seen.snapshot().isWhole();
    }

    private CatalogSnapshot check() {
        // Both are taken before the revision is read: a write that ends meanwhile makes the next look read it again.
        long writes = transactions.writes();
        long now = System.nanoTime();
        Checked seen = last;
        CatalogSnapshot snapshot;
        try {
            String current = revision.current();
            snapshot = seen != null && seen.snapshot().revision().equals(current) ? seen.snapshot()
                    : new CatalogSnapshot(current, sources);
            if (!snapshot.isWhole()) {
                snapshot.readWhole();
            }
        } catch (DatabaseUnavailableException | DatabaseBusyException e) {
            if (seen == null || !seen.snapshot().isWhole()) {
                throw e;
            }
            if (unavailableSince == null) {
                unavailableSince = Instant.now();
                log.warn("The database did not answer ({}): MCP requests are served from the catalog read at"
                        + " revision {} until it does; the registry API answers 503 meanwhile", e.getMessage(),
                        seen.snapshot().revision());
            }
            return seen.snapshot();
        }
        if (unavailableSince != null) {
            log.info("The database answers again after {} s: the catalog is read from it again",
                    Math.max(0, Instant.now().getEpochSecond() - unavailableSince.getEpochSecond()));
            unavailableSince = null;
        }
        last = new Checked(snapshot, writes, now);
        return snapshot;
    }

    /** One background look at a time, at most one starting per poll interval. */
    private void lookAgainInBackground(long now) {
        long started = lastLookNanos;
        if (now - started < maxAgeNanos || !lookingAgain.compareAndSet(false, true)) {
            return;
        }
        lastLookNanos = now;
        Thread.ofVirtual().name("catalog-look-again").start(() -> {
            try {
                checked();
            } catch (RuntimeException e) {
                log.debug("The catalog's look at the database failed: {}", e.getMessage());
            } finally {
                lookingAgain.set(false);
            }
        });
    }

    private boolean fresh(Checked seen, long writes, long now) {
        return seen != null && seen.writes() == writes && now - seen.atNanos() < maxAgeNanos;
    }
}
