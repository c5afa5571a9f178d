package dev.switchboard.invocation;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import tools.jackson.databind.JsonNode;

/** One way of running a tool, chosen by its integration type; federation adds its own route for MCP tools. */
public interface ToolRoute {

    /** The tools this route runs. */
    IntegrationType type();

    /**
     * Runs {@code tool} with {@code arguments} (already validated) and returns the MCP CallToolResult, reporting
     * progress to {@code feedback}. A cancelled call is interrupted: routes must give up promptly when it is.
     */
    JsonNode call(Tool tool, JsonNode arguments, CallFeedback feedback);
}
