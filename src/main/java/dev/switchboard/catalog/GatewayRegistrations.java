package dev.switchboard.catalog;

import java.util.UUID;

/**
 * What the registry asks of federation when an upstream is registered, changed or deleted. Federation provides
 * it; the catalog only calls it, so that the dependency points from federation to the catalog.
 */
public interface GatewayRegistrations {

    /** Discovers what {@code gateway} offers and stores it; a failure is reported in the outcome, never thrown. */
    DiscoveryOutcome discover(UpstreamGateway gateway);

    /** Drops the connection to an upstream whose registration changed or that was deleted. */
    void forget(UUID gatewayId);
}
