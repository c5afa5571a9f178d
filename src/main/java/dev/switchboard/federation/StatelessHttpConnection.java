package dev.switchboard.federation;

import dev.switchboard.catalog.Transport;
import dev.switchboard.federation.UpstreamException.Kind;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.McpName;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streamable HTTP of 2026-07-28: no handshake and no session. Every request is one POST whose {@code _meta} names
 * the revision, the client's capabilities and the client, mirrored in the MCP-Protocol-Version, Mcp-Method and
 * Mcp-Name headers. Cancelling aborts the HTTP exchange. An {@code input_required} result is returned as any other.
 */
final class StatelessHttpConnection extends PostingConnection {

    /** The revision spoken to every stateless upstream. */
    private static final String REVISION = Revision.LATEST_STATELESS.wire();
    private static final Logger log = LoggerFactory.getLogger(StatelessHttpConnection.class);

    private volatile boolean open = true;

    private StatelessHttpConnection(HttpUpstream http, Duration requestTimeout) {
        super(http, requestTimeout);
        protocolVersion = REVISION;
    }

    /**
     * Asks the upstream with server/discover whether it speaks 2026-07-28: the connection when it does, null when
     * it answers anything else (an error, a 4xx), so the caller falls back to initialize.
     *
     * @throws UpstreamException when the upstream cannot be reached at all, or the probe is cancelled
     */
    static StatelessHttpConnection probe(HttpUpstream http, Duration requestTimeout, long by) {
        StatelessHttpConnection candidate = new StatelessHttpConnection(http, requestTimeout);
        candidate.openBy(by);
        JsonNode result;
        try {
            result = candidate.call(MethodNames.SERVER_DISCOVER, object(), UpstreamExchange.NONE);
        } catch (JsonRpcException | HttpStatusException e) {
            log.debug("Upstream {} does not answer server/discover ({}): initializing", http.name(), e.getMessage());
            return null;
        } catch (UpstreamException e) {
            if (e.kind() == Kind.PROTOCOL) {
                return null;
            }
            throw e;
        }
        boolean stateless = result.path("supportedVersions").valueStream()
                .anyMatch(v -> REVISION.equals(v.asString(null)));
        if (!stateless || !(result instanceof ObjectNode discovered)) {
            return null;
        }
        candidate.serverInfo = discovered;
        candidate.opened();
        return candidate;
    }

    @Override
    Transport transport() {
        return Transport.STREAMABLE_HTTP;
    }

    @Override
    void headers(HttpRequest.Builder post, ObjectNode message) {
        String method = message.path("method").asString(null);
        post.header(McpHeaders.PROTOCOL_VERSION, REVISION);
        if (method == null) {
            return;
        }
        post.header(McpHeaders.METHOD, method);
        ObjectNode params = message.get("params") instanceof ObjectNode p ? p : message.putObject("params");
        // The caller (a 2026-07-28 client behind us) may have stated its own capabilities and identity; the
        // revision is always ours, since we speak to this upstream.
        JsonNode existing = params.get("_meta");
        ObjectNode meta = existing instanceof ObjectNode m ? m : params.putObject("_meta");
        meta.put(MetaKeys.PROTOCOL_VERSION, REVISION);
        if (!meta.has(MetaKeys.CLIENT_CAPABILITIES)) {
            meta.set(MetaKeys.CLIENT_CAPABILITIES, RpcConnection.clientCapabilities());
        }
        if (!meta.has(MetaKeys.CLIENT_INFO)) {
            meta.set(MetaKeys.CLIENT_INFO, clientInfo());
        }
        String param = McpName.param(method);
        String named = param == null ? null : params.path(param).asString(null);
        if (named != null) {
            post.header(McpHeaders.NAME, McpName.encode(named));
        }
    }

    /**
     * A 2026-07-28 server sends no log messages about a request that names no level in its {@code _meta}: the
     * caller's level goes there (a session client's, set with logging/setLevel), unless the caller's own
     * {@code _meta} already names one.
     */
    @Override
    void send(ObjectNode request, Pending pending) {
        String level = pending.exchange.logLevel();
        if (level != null && request.get("params") instanceof ObjectNode params) {
            ObjectNode meta = params.get("_meta") instanceof ObjectNode m ? m : params.putObject("_meta");
            if (!meta.has(MetaKeys.LOG_LEVEL)) {
                meta.put(MetaKeys.LOG_LEVEL, level);
            }
        }
        super.send(request, pending);
    }

    @Override
    void cancel(Pending request, String reason) {
        // The revision's cancellation is closing the response stream.
        request.answer.cancel(false);
        request.abort();
    }

    @Override
    boolean takesServerRequests() {
        return false;
    }

    @Override
    void deliver(ObjectNode message) {
        // Nothing is sent after a request in this revision: server-to-client requests come as input_required.
        log.debug("Upstream {}: nothing to deliver in {}", name, REVISION);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        failAll(new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name + " was closed"));
    }
}
