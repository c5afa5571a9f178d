package dev.switchboard.federation;

import dev.switchboard.catalog.UpstreamGateway;
import java.util.UUID;

/**
 * The pool of upstream connections: one live connection per upstream, opened on first use and shared by every
 * call to it, replaced when it breaks or when the upstream's registration changes.
 */
public interface UpstreamConnections {

    /**
     * The open connection to {@code gateway}, opening it (transport detection and handshake included) if need be.
     *
     * @throws UpstreamException when it cannot be opened
     */
    UpstreamConnection of(UpstreamGateway gateway);

    /** Closes and forgets the connection to an upstream that was deleted, disabled or changed. */
    void forget(UUID gatewayId);
}
