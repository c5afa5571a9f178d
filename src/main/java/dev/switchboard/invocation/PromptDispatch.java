package dev.switchboard.invocation;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptTemplate;
import dev.switchboard.observability.EntityType;
import dev.switchboard.observability.InvocationRecorder;
import dev.switchboard.protocol.JsonRpcException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gets a prompt: the registry renders its own templates; a federated prompt is got from its upstream under the
 * upstream's own name. Every get is measured.
 */
@Component
public class PromptDispatch {

    private final UpstreamCalls upstreams;
    private final InvocationRecorder recorder;

    PromptDispatch(UpstreamCalls upstreams, InvocationRecorder recorder) {
        this.upstreams = upstreams;
        this.recorder = recorder;
    }

    /**
     * The GetPromptResult of {@code prompt} for the prompts/get {@code params}.
     *
     * @throws JsonRpcException the JSON-RPC error to answer: invalid params for arguments the template
     *                               cannot take, or the upstream's failure
     */
    public JsonNode get(Prompt prompt, ObjectNode params, CallFeedback feedback) {
        return recorder.time(EntityType.PROMPT, prompt.id(), prompt.name(), params.get("arguments"),
                () -> result(prompt, params, feedback), r -> null, InvocationErrors::ofAnswer);
    }

    private JsonNode result(Prompt prompt, ObjectNode params, CallFeedback feedback) {
        if (prompt.gatewayId() != null) {
            ObjectNode forwarded = params.deepCopy();
            forwarded.put("name", prompt.originalName());
            return UpstreamFailures.asJsonRpcErrors(() -> upstreams.forward(prompt.gatewayId(), "prompts/get",
                    forwarded, feedback));
        }
        Map<String, String> arguments = arguments(params.get("arguments"));
        for (Prompt.PromptArgument argument : prompt.arguments()) {
            if (argument.required() && !arguments.containsKey(argument.name())) {
                throw invalidParams("Invalid params: the prompt " + prompt.name()
                        + " needs the argument \"" + argument.name() + "\"");
            }
        }
        String text = PromptTemplate.parse("template", prompt.template()).render(arguments);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
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
            throw invalidParams("Invalid params: \"arguments\" must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw invalidParams("Invalid params: the argument \"" + e.getKey() + "\" must be a string");
            }
            arguments.put(e.getKey(), e.getValue().asString());
        }
        return arguments;
    }

    private static JsonRpcException invalidParams(String message) {
        return JsonRpcException.invalidParams(message);
    }
}
