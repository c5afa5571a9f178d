package dev.switchboard.federation;

import dev.switchboard.catalog.Transport;
import dev.switchboard.federation.UpstreamException.Kind;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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

    static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_CLIENT = "io.modelcontextprotocol/clientInfo";
    private static final Logger log = LoggerFactory.getLogger(StatelessHttpConnection.class);

    private volatile boolean open = true;

    private StatelessHttpConnection(HttpUpstream http, Duration requestTimeout) {
        super(http, requestTimeout);
        protocolVersion = STATELESS_VERSION;
    }

    /**
     * Asks the upstream with server/discover whether it speaks 2026-07-28: the connection when it does, null when
     * it answers anything else (an error, a 4xx), so the caller falls back to initialize.
     *
     * @throws UpstreamException when the upstream cannot be reached at all, or the probe is cancelled
     */
    static StatelessHttpConnection probe(HttpUpstream http, Duration requestTimeout) {
        StatelessHttpConnection candidate = new StatelessHttpConnection(http, requestTimeout);
        JsonNode result;
        try {
            result = candidate.call("server/discover", object(), UpstreamExchange.NONE);
        } catch (UpstreamErrorResponse | HttpStatusException e) {
            log.debug("Upstream {} does not answer server/discover ({}): initializing", http.name(), e.getMessage());
            return null;
        } catch (UpstreamException e) {
            if (e.kind() == Kind.PROTOCOL) {
                return null;
            }
            throw e;
        }
        boolean stateless = result.path("supportedVersions").valueStream()
                .anyMatch(v -> STATELESS_VERSION.equals(v.asString(null)));
        if (!stateless || !(result instanceof ObjectNode discovered)) {
            return null;
        }
        candidate.serverInfo = discovered;
        return candidate;
    }

    @Override
    Transport transport() {
        return Transport.STREAMABLE_HTTP;
    }

    @Override
    void headers(HttpRequest.Builder post, ObjectNode message) {
        String method = message.path("method").asString(null);
        post.header("MCP-Protocol-Version", STATELESS_VERSION);
        if (method == null) {
            return;
        }
        post.header("Mcp-Method", method);
        ObjectNode params = message.get("params") instanceof ObjectNode p ? p : message.putObject("params");
        // The caller (a 2026-07-28 client behind us) may have stated its own capabilities and identity; the
        // revision is always ours, since we speak to this upstream.
        JsonNode existing = params.get("_meta");
        ObjectNode meta = existing instanceof ObjectNode m ? m : params.putObject("_meta");
        meta.put(META_VERSION, STATELESS_VERSION);
        if (!meta.has(META_CAPABILITIES)) {
            meta.set(META_CAPABILITIES, RpcConnection.clientCapabilities());
        }
        if (!meta.has(META_CLIENT)) {
            meta.set(META_CLIENT, clientInfo());
        }
        String named = switch (method) {
            case "tools/call", "prompts/get" -> params.path("name").asString(null);
            case "resources/read" -> params.path("uri").asString(null);
            default -> null;
        };
        if (named != null) {
            post.header("Mcp-Name", headerValue(named));
        }
    }

    /** A header value as it is when plain ASCII, otherwise (or when it looks encoded) in the base64 form. */
    static String headerValue(String value) {
        boolean plain = !value.isEmpty() && value.strip().equals(value)
                && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)
                && !(value.startsWith("=?base64?") && value.endsWith("?="));
        return plain ? value
                : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
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
        log.debug("Upstream {}: nothing to deliver in {}", name, STATELESS_VERSION);
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
