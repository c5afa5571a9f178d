package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.Revision;
import dev.switchboard.security.Caller;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC request to one virtual server, answered by the same method handlers as an MCP client's request, at
 * the newest session revision, with nothing to ask the caller back: the console's playground. Only the methods that
 * list, call, read and get are served; anything else is answered "method not found", as a server would.
 */
@Component
public class McpPlayground {

    /** The methods the playground sends; the others need a session or a stream. */
    public static final Set<String> METHODS = Set.of("ping", "tools/list", "tools/call", "resources/list",
            "resources/templates/list", "resources/read", "prompts/list", "prompts/get");
    private static final McpRequestContext CONTEXT = new McpRequestContext() {
        @Override
        public String protocolVersion() {
            return Revision.LATEST_SESSION.wire();
        }

        @Override
        public String logLevel() {
            return null;
        }
    };

    private final CatalogViews views;
    private final McpMethods methods;

    McpPlayground(CatalogViews views, McpMethods methods) {
        this.views = views;
        this.methods = methods;
    }

    /** The JSON-RPC response to {@code request} (a result or an error), as the server's MCP endpoint would send it. */
    public ObjectNode exchange(Caller caller, String serverId, JsonNode request) {
        JsonNode id = request == null ? null : request.get("id");
        try {
            JsonRpcMessage message = JsonRpcMessage.of(request);
            id = message.id();
            if (message.method() == null || !METHODS.contains(message.method())) {
                throw new JsonRpcException(JsonRpc.METHOD_NOT_FOUND, "Method not found: the playground sends "
                        + String.join(", ", METHODS.stream().sorted().toList()));
            }
            Optional<CatalogView> view = views.usableBy(serverId, caller);
            if (view.isEmpty()) {
                throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "No virtual server " + serverId);
            }
            return JsonRpc.result(id, methods.answer(view.get(), CONTEXT, caller.subject(), message, CallFeedback.NONE));
        } catch (JsonRpcException e) {
            return JsonRpc.error(id, e);
        }
    }
}
