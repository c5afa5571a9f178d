package dev.switchboard.mcp;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptTemplate;
import dev.switchboard.invocation.EntityType;
import dev.switchboard.invocation.InvocationRecorder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** prompts/list and prompts/get for the prompts the registry hosts. */
@Component
class PromptMethods {

    private final InvocationRecorder recorder;

    PromptMethods(InvocationRecorder recorder) {
        this.recorder = recorder;
    }

    JsonNode list(CatalogView view, String version, JsonNode params) {
        ListPage<Prompt> page = ListPage.of(view.prompts(), p -> ListPage.key(p.name(), p.id()), params);
        ObjectNode result = JsonRpc.object();
        ArrayNode prompts = result.putArray("prompts");
        for (Prompt prompt : page.items()) {
            ObjectNode p = prompts.addObject();
            p.put("name", prompt.name());
            if (prompt.title() != null && ProtocolVersions.atLeast(version, "2025-06-18")) {
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

    JsonNode get(CatalogView view, JsonNode params) {
        JsonNode name = params.get("name");
        if (name == null || !name.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"name\" must be the prompt's name");
        }
        Prompt prompt = view.prompts().stream().filter(p -> p.name().equals(name.asString())).findFirst()
                .orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name.asString()));
        return recorder.time(EntityType.PROMPT, prompt.id(), prompt.name(), () -> get(prompt, params), r -> null,
                MeasuredErrors::of);
    }

    private JsonNode get(Prompt prompt, JsonNode params) {
        if (prompt.gatewayId() != null) {
            throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "The prompt " + prompt.name()
                    + " is served by an upstream MCP server, and federation is not yet available");
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
