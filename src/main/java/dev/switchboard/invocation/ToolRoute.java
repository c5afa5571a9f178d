package dev.switchboard.invocation;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One way of running a tool, chosen by its integration type. */
public interface ToolRoute {

    /** The tools this route runs. */
    IntegrationType type();

    /**
     * Runs {@code tool} and returns the MCP CallToolResult, reporting to {@code feedback}. {@code params} are the
     * tools/call params as the client sent them ({@code arguments} an object, never null; {@code _meta} and
     * anything else untouched), so a route that forwards the call can forward all of it. A cancelled call is
     * interrupted: routes must give up promptly when it is.
     */
    JsonNode call(Tool tool, ObjectNode params, CallFeedback feedback);

    /** The call's arguments: always an object, since tools/call has checked them. */
    static JsonNode arguments(ObjectNode params) {
        return params.get("arguments");
    }
}
