package dev.switchboard.invocation;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Runs REST tools: Switchboard itself calls the endpoint. */
@Component
class RestToolRoute implements ToolRoute {

    private final RestToolCall calls;

    RestToolRoute(RestToolCall calls) {
        this.calls = calls;
    }

    @Override
    public IntegrationType type() {
        return IntegrationType.REST;
    }

    @Override
    public JsonNode call(Tool tool, ObjectNode params, CallFeedback feedback) {
        // A REST endpoint reports nothing while it works, so the honest progress is "sent" and "answered".
        feedback.progress(0, 1.0, "Calling " + tool.name());
        JsonNode result = calls.call(tool, ToolRoute.arguments(params));
        feedback.progress(1, 1.0, "Answered");
        return result;
    }
}
