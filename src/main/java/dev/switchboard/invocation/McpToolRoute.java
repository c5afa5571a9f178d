package dev.switchboard.invocation;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.federation.UpstreamException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs federated tools: the call goes to the upstream under the upstream's own name, with everything else the
 * client sent, and the upstream's result comes back unchanged.
 */
@Component
class McpToolRoute implements ToolRoute {

    private final UpstreamCalls upstreams;

    McpToolRoute(UpstreamCalls upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public IntegrationType type() {
        return IntegrationType.MCP;
    }

    @Override
    public JsonNode call(Tool tool, ObjectNode params, CallFeedback feedback) {
        ObjectNode forwarded = params.deepCopy();
        forwarded.put("name", tool.originalName());
        try {
            return upstreams.forward(tool.gatewayId(), "tools/call", forwarded, feedback);
        } catch (UpstreamException e) {
            if (e.kind() == UpstreamException.Kind.CANCELLED) {
                throw e;
            }
            // Like a failing REST endpoint: the model reads why the tool did not run, and may try again.
            return ToolDispatch.errorResult("the tool " + tool.name() + " could not be run: " + e.getMessage());
        }
    }
}
