package dev.switchboard.mcp;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptTemplate;
import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.invocation.EntityType;
import dev.switchboard.invocation.InvocationRecorder;
import dev.switchboard.invocation.UpstreamCalls;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.Revision;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** prompts/list and prompts/get: hosted by the registry or federated. */
@Component
class PromptMethods {

    private final UpstreamCalls upstreams;
    private final InvocationRecorder recorder;

    PromptMethods(UpstreamCalls upstreams, InvocationRecorder recorder) {
        this.upstreams = upstreams;
        this.recorder = recorder;
    }

    JsonNode list(CatalogView view, String version, JsonNode params) {
        ListPage<Prompt> page = ListPage.of(view.prompts(), p -> ListPage.key(p.name(), p.id()), params);
        ObjectNode result = JsonRpc.object();
        ArrayNode prompts = result.putArray("prompts");
        for (Prompt prompt : page.items()) {
            ObjectNode p = prompts.addObject();
            p.put("name", prompt.name());
            if (prompt.title() != null && Revision.of(version).hasTitles()) {
                p.put("title", prompt.title());
            }
            if (prompt.description() != null) {
                p.put("description", prompt.description());
            }
            ArrayNode arguments = p.putArray("arguments");
            for (Prompt.PromptArgument argument : prompt.arguments()) {
                ObjectNode a = arguments.addObject().put("name", argument.name());
                if (argument.description() != null) {
                    a.put("description", argument.description());
                }
                a.put("required", argument.required());
            }
        }
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
        return result;
    }

    /** prompts/get: the registry renders its own templates; a federated prompt is got from its upstream. */
    JsonNode get(CatalogView view, JsonNode params, CallFeedback feedback) {
        JsonNode name = params.get("name");
        if (name == null || !name.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"name\" must be the prompt's name");
        }
        Prompt prompt = view.includingUnavailable().prompts().stream().filter(p -> p.name().equals(name.asString()))
                .findFirst().orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name.asString()));
        return recorder.time(EntityType.PROMPT, prompt.id(), prompt.name(), () -> get(prompt, params, feedback), r -> null,
                MeasuredErrors::of);
    }

    private JsonNode get(Prompt prompt, JsonNode params, CallFeedback feedback) {
        if (prompt.gatewayId() != null) {
            ObjectNode forwarded = ((ObjectNode) params).deepCopy();
            forwarded.put("name", prompt.originalName());
            return UpstreamErrors.translated(() -> upstreams.forward(prompt.gatewayId(), "prompts/get", forwarded,
                    feedback));
        }
        Map<String, String> arguments = arguments(params.get("arguments"));
        for (Prompt.PromptArgument argument : prompt.arguments()) {
            if (argument.required() && !arguments.containsKey(argument.name())) {
                throw JsonRpcException.invalidParams("Invalid params: the prompt " + prompt.name()
                        + " needs the argument \"" + argument.name() + "\"");
            }
        }
        String text = PromptTemplate.parse("template", prompt.template()).render(arguments);
        ObjectNode result = JsonRpc.object();
        if (prompt.description() != null) {
            result.put("description", prompt.description());
        }
        result.putArray("messages").addObject().put("role", "user")
                .putObject("content").put("type", "text").put("text", text);
        return result;
    }

    /** MCP gives prompt arguments as strings; anything else is refused rather than guessed at. */
    private static Map<String, String> arguments(JsonNode node) {
        Map<String, String> arguments = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return arguments;
        }
        if (!node.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: \"arguments\" must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw JsonRpcException.invalidParams("Invalid params: the argument \"" + e.getKey()
                        + "\" must be a string");
            }
            arguments.put(e.getKey(), e.getValue().asString());
        }
        return arguments;
    }
}
