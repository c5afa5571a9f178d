package dev.switchboard.federation;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.CatalogSync;
import dev.switchboard.catalog.DiscoveryOutcome;
import dev.switchboard.catalog.GatewayRegistrations;
import dev.switchboard.catalog.SyncReport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.UpstreamOffer;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.MethodNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Learns what an upstream offers (its tools, resources, resource templates and prompts, every page of each
 * list) and has {@link CatalogSync} store it. Runs when an upstream is registered or reconfigured, and on demand.
 */
@Service
public class Discovery implements GatewayRegistrations {

    /** More entries than this in one list is taken as an upstream that pages forever, not as a real catalog. */
    static final int MAX_ENTRIES = 10_000;

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private final ObjectProvider<UpstreamConnections> connections;
    private final CatalogSync sync;
    private final UpstreamHealthRepository health;
    private final Duration deadline;
    private final AuditTrail audit;

    public Discovery(ObjectProvider<UpstreamConnections> connections, CatalogSync sync,
                     UpstreamHealthRepository health, UpstreamSettings settings, AuditTrail audit) {
        this.connections = connections;
        this.sync = sync;
        this.health = health;
        this.deadline = settings.openDeadline();
        this.audit = audit;
    }

    /**
     * Lists everything {@code gateway} offers and stores it. A discovery that changed the catalog is audited as the
     * caller's (the system's, when a job or an upstream's notification set it off), with what it changed.
     *
     * @throws UpstreamException     when the upstream cannot be reached, times out or breaks the protocol
     * @throws JsonRpcException when it answers a list request with an error other than "method not found"
     */
    public DiscoveryOutcome refresh(UpstreamGateway gateway) {
        UpstreamOffer offer = fetch(gateway);
        SyncReport report = sync.sync(gateway.id(), offer);
        log.info("Discovered upstream {} ({}): {}", gateway.name(), gateway.id(), report.summary(offer));
        DiscoveryOutcome outcome = DiscoveryOutcome.completed(offer.protocolVersion(), report);
        if (!report.unchanged()) {
            audit.changed("discover", "gateway", gateway.id(), gateway.name(), null, outcome);
        }
        return outcome;
    }

    /**
     * Discovers an upstream just registered, changed or enabled. Not reaching it counts as a failed health check
     * that makes it unreachable at once: an upstream that never answered is not shown as reachable. Reaching one
     * that was unreachable makes it reachable without waiting for the next check.
     */
    @Override
    public DiscoveryOutcome discover(UpstreamGateway gateway) {
        try {
            DiscoveryOutcome outcome = refresh(gateway);
            if (!gateway.reachable()) {
                health.recordSuccess(gateway.id(), Instant.now());
            }
            return outcome;
        } catch (UpstreamException | JsonRpcException e) {
            String failure = failure(e);
            log.warn("Discovery of upstream {} ({}) failed: {}", gateway.name(), gateway.id(), failure);
            if (e instanceof UpstreamException) {
                health.recordFailure(gateway.id(), Instant.now(), failure, 1);
            }
            return DiscoveryOutcome.failed(failure);
        } catch (RuntimeException e) {
            // The registration that set this off stands; it must not be answered as if it had failed.
            log.error("Discovery of upstream {} ({}) failed", gateway.name(), gateway.id(), e);
            return DiscoveryOutcome.failed("the discovered entries could not be stored; the log has the cause");
        }
    }

    @Override
    public void forget(UUID gatewayId) {
        UpstreamConnections pool = connections.getIfAvailable();
        if (pool != null) {
            pool.forget(gatewayId);
        }
    }

    /** Words for a failed discovery, safe to show: the transports' messages are written for clients. */
    static String failure(RuntimeException e) {
        return UpstreamFailure.describe(e);
    }

    UpstreamOffer fetch(UpstreamGateway gateway) {
        UpstreamConnections pool = connections.getIfAvailable();
        if (pool == null) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "this build has no upstream transports");
        }
        // Connecting and every page of every list, within connect + request timeout in all.
        return DeadlineRun.within(deadline, "upstream-discovery", () -> {
            UpstreamConnection connection = pool.of(gateway);
            JsonNode capabilities = connection.serverInfo().path("capabilities");
            JsonNode instructions = connection.serverInfo().get("instructions");
            boolean resources = offers(capabilities, "resources");
            return new UpstreamOffer(connection.protocolVersion(),
                    offers(capabilities, "tools") ? list(connection, MethodNames.TOOLS_LIST, "tools") : List.of(),
                    resources ? list(connection, MethodNames.RESOURCES_LIST, "resources") : List.of(),
                    resources ? list(connection, MethodNames.RESOURCES_TEMPLATES_LIST, "resourceTemplates")
                            : List.of(),
                    offers(capabilities, "prompts") ? list(connection, MethodNames.PROMPTS_LIST, "prompts")
                            : List.of(),
                    instructions != null && instructions.isString() ? instructions.asString() : null);
        }, () -> "discovery did not finish: timed out after " + UpstreamFailure.seconds(deadline)
                + " (SWITCHBOARD_UPSTREAM_CONNECT_TIMEOUT + SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT)");
    }

    private static boolean offers(JsonNode capabilities, String kind) {
        JsonNode declared = capabilities.get(kind);
        return declared != null && !declared.isNull();
    }

    /** Every entry of a paginated list, following nextCursor; "method not found" means the upstream has none. */
    private static List<JsonNode> list(UpstreamConnection connection, String method, String field) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            ObjectNode params = null;
            if (cursor != null) {
                params = JsonNodeFactory.instance.objectNode().put("cursor", cursor);
            }
            JsonNode result;
            try {
                result = connection.request(method, params, UpstreamExchange.NONE);
            } catch (JsonRpcException e) {
                if (e.code() == JsonRpc.METHOD_NOT_FOUND && cursor == null) {
                    return List.of();
                }
                throw e;
            }
            JsonNode page = result == null ? null : result.get(field);
            if (page == null || !page.isArray()) {
                throw new UpstreamException(UpstreamException.Kind.PROTOCOL,
                        "its " + method + " result has no \"" + field + "\" array");
            }
            page.forEach(entries::add);
            if (entries.size() > MAX_ENTRIES) {
                throw new UpstreamException(UpstreamException.Kind.PROTOCOL, "its " + method + " lists more than "
                        + MAX_ENTRIES + " entries; discovery stopped rather than store part of them");
            }
            JsonNode next = result.get("nextCursor");
            String previous = cursor;
            cursor = next != null && next.isString() && !next.asString().isEmpty() ? next.asString() : null;
            if (cursor != null && (cursor.equals(previous) || page.isEmpty())) {
                throw new UpstreamException(UpstreamException.Kind.PROTOCOL, "its " + method
                        + " pagination does not advance (cursor '" + cursor + "')");
            }
        } while (cursor != null);
        return entries;
    }
}
