package dev.switchboard.invocation;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a tool call to the route for its integration type. Routes are beans, so a new kind of tool (federated
 * MCP tools) is served by adding a {@link ToolRoute}, not by changing this class.
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

    /** The CallToolResult of running {@code tool}; a tool that no route serves is an error result, not a throw. */
    public JsonNode call(Tool tool, JsonNode arguments, CallFeedback feedback) {
        ToolRoute route = routes.get(tool.integrationType());
        if (route == null) {
            // Today that is a federated tool: federation will add the route for MCP tools.
            return errorResult("the tool " + tool.name() + " is served by an upstream MCP server, and federation is"
                    + " not yet available");
        }
        return recorder.tool(tool, () -> route.call(tool, arguments, feedback));
    }

    /** A CallToolResult with one text content and {@code isError: true}, as MCP reports failed executions. */
    public static ObjectNode errorResult(String message) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.putArray("content").addObject().put("type", "text").put("text", message);
        result.put("isError", true);
        return result;
    }
}
