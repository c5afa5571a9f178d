package dev.switchboard.catalog;

import dev.switchboard.persistence.Transactions;
import org.springframework.stereotype.Component;

/**
 * Serves the catalog to MCP requests from memory. A {@link CatalogSnapshot} stands until the catalog's revision
 * moves. The revision is read again after any write by this process, so a client sees a change as soon as the
 * request that made it has returned, and otherwise at most once per poll interval, which bounds how long a change
 * made by another replica, or by the command line, takes to be seen.
 */
@Component
public class CatalogCache {

    private record Checked(CatalogSnapshot snapshot, long writes, long atNanos) {
    }

    private final Transactions transactions;
    private final CatalogRevision revision;
    private final CatalogSnapshot.Sources sources;
    private final long maxAgeNanos;
    private volatile Checked last;

    public CatalogCache(Transactions transactions, CatalogRevision revision, ToolRepository tools,
                        ResourceRepository resources, PromptRepository prompts, UpstreamGatewayRepository gateways,
                        VirtualServerRepository servers, UpstreamHealthRepository health,
                        CatalogSettings settings) {
        this.transactions = transactions;
        this.revision = revision;
        this.sources = new CatalogSnapshot.Sources(tools, resources, prompts, gateways, servers, health);
        this.maxAgeNanos = settings.changePollInterval().toNanos();
    }

    /** The catalog as it is now, give or take changes made elsewhere within the poll interval. */
    public CatalogSnapshot current() {
        Checked seen = last;
        if (fresh(seen, transactions.writes(), System.nanoTime())) {
            return seen.snapshot();
        }
        return check(false);
    }

    /** The catalog as it is now: the revision is read whatever the age of the last look. */
    public CatalogSnapshot checked() {
        return check(true);
    }

    private synchronized CatalogSnapshot check(boolean always) {
        // Both are taken before the revision is read: a write that ends meanwhile makes the next look read it again.
        long writes = transactions.writes();
        long now = System.nanoTime();
        Checked seen = last;
        if (!always && fresh(seen, writes, now)) {
            return seen.snapshot();
        }
        String current = revision.current();
        CatalogSnapshot snapshot = seen != null && seen.snapshot().revision().equals(current) ? seen.snapshot()
                : new CatalogSnapshot(current, sources);
        last = new Checked(snapshot, writes, now);
        return snapshot;
    }

    private boolean fresh(Checked seen, long writes, long now) {
        return seen != null && seen.writes() == writes && now - seen.atNanos() < maxAgeNanos;
    }
}
