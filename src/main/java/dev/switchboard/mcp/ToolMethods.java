package dev.switchboard.mcp;

import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.invocation.ToolDispatch;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.Revision;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** tools/list and tools/call. */
@Component
class ToolMethods {

    private final ToolArguments arguments;
    private final ToolDispatch dispatch;
    private final JsonMapper json;

    ToolMethods(ToolArguments arguments, ToolDispatch dispatch, JsonMapper json) {
        this.arguments = arguments;
        this.dispatch = dispatch;
        this.json = json;
    }

    JsonNode list(CatalogView view, String version, JsonNode params) {
        ListPage<Tool> page = ListPage.of(view.tools(), t -> ListPage.key(view.toolName(t), t.id()), params);
        ObjectNode result = JsonRpc.object();
        ArrayNode tools = result.putArray("tools");
        for (Tool tool : page.items()) {
            ObjectNode t = tools.addObject();
            t.put("name", view.toolName(tool));
            if (tool.description() != null) {
                t.put("description", tool.description());
            }
            t.set("inputSchema", tool.inputSchema() == null ? JsonRpc.object().put("type", "object")
                    : json.readTree(tool.inputSchema()));
            // Each field only in the revisions that define it, so an older client meets only what it knows.
            if (tool.outputSchema() != null && Revision.of(version).hasOutputSchema()) {
                t.set("outputSchema", json.readTree(tool.outputSchema()));
            }
            if (tool.annotations() != null && Revision.of(version).hasToolAnnotations()) {
                t.set("annotations", json.readTree(tool.annotations()));
            }
            PresentationFields.add(t, view.upstreamPresentation(tool.id()), version);
        }
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
        return result;
    }

    JsonNode call(CatalogView view, JsonNode params, CallFeedback feedback) {
        JsonNode name = params.get("name");
        if (name == null || !name.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"name\" must be the tool's name");
        }
        // Tools of an unreachable upstream are not listed, but a call still finds them, to fail with the reason.
        Tool tool = view.tool(name.asString())
                .orElseThrow(() -> JsonRpcException.invalidParams("Unknown tool: " + name.asString()));
        JsonNode args = params.get("arguments");
        if (args == null || args.isNull()) {
            args = JsonRpc.object();
        } else if (!args.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: \"arguments\" must be an object");
        }
        String refused = view.refusal(tool, args).orElse(null);
        if (refused != null) {
            throw new JsonRpcException(JsonRpc.REFUSED_BY_POLICY, "Refused by policy: the virtual server's policy "
                    + "does not let this call of " + name.asString() + " proceed (" + refused + ")");
        }
        // A federated tool's upstream checks its own arguments, with its own reading of its schema, and answers
        // in its own words; checking here as well could refuse what the upstream accepts.
        List<String> violations = tool.integrationType() == IntegrationType.MCP ? List.of()
                : arguments.violations(tool, args);
        if (!violations.isEmpty()) {
            ObjectNode data = JsonRpc.object();
            violations.forEach(data.putArray("violations")::add);
            throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "Invalid params: the arguments do not match the"
                    + " input schema of " + name.asString() + ": " + String.join("; ", violations), data);
        }
        ObjectNode call = ((ObjectNode) params).deepCopy();
        call.set("arguments", args);
        return UpstreamErrors.translated(() -> dispatch.call(tool, call, feedback));
    }
}
