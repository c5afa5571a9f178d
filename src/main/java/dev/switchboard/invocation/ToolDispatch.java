package dev.switchboard.invocation;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.observability.EntityType;
import dev.switchboard.observability.InvocationRecorder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a tool call to the route for its integration type. Routes are beans, so a new kind of tool is served by
 * adding a {@link ToolRoute}, not by changing this class.
 */
@Component
public class ToolDispatch {

    private final Map<IntegrationType, ToolRoute> routes = new EnumMap<>(IntegrationType.class);
    private final InvocationRecorder recorder;

    public ToolDispatch(List<ToolRoute> routes, InvocationRecorder recorder) {
        this.recorder = recorder;
        for (ToolRoute route : routes) {
            if (this.routes.putIfAbsent(route.type(), route) != null) {
                throw new IllegalStateException("two routes serve " + route.type() + " tools");
            }
        }
    }

    /**
     * The CallToolResult of running {@code tool} with the tools/call {@code params} (arguments checked to be an
     * object); a tool that no route serves is an error result, not a throw.
     *
     * @throws dev.switchboard.protocol.JsonRpcException the JSON-RPC error to answer when the call fails
     *                                                          without a result
     */
    public JsonNode call(Tool tool, ObjectNode params, CallFeedback feedback) {
        ToolRoute route = routes.get(tool.integrationType());
        if (route == null) {
            return errorResult("no route runs " + tool.integrationType() + " tools such as " + tool.name());
        }
        // Recorded with the upstream's failure as it was, answered as a JSON-RPC error.
        return UpstreamFailures.asJsonRpcErrors(() -> recorder.time(EntityType.TOOL, tool.id(), tool.name(),
                params.get("arguments"), () -> route.call(tool, params, feedback), ToolDispatch::failure,
                InvocationErrors::of));
    }

    /** A CallToolResult with {@code isError: true} counts as a failure. */
    private static String failure(JsonNode result) {
        return result != null && result.path("isError").asBoolean(false) ? InvocationErrors.ERROR_RESULT : null;
    }

    /** A CallToolResult with one text content and {@code isError: true}, as MCP reports failed executions. */
    public static ObjectNode errorResult(String message) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.putArray("content").addObject().put("type", "text").put("text", message);
        result.put("isError", true);
        return result;
    }
}
