package dev.switchboard.mcp;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.invocation.PromptDispatch;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.Revision;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** prompts/list and prompts/get: hosted by the registry or federated. */
@Component
class PromptMethods {

    private final PromptDispatch dispatch;

    PromptMethods(PromptDispatch dispatch) {
        this.dispatch = dispatch;
    }

    JsonNode list(CatalogView view, String version, JsonNode params) {
        ListPage<Prompt> page = ListPage.of(view.prompts(), p -> ListPage.key(view.promptName(p), p.id()), params);
        ObjectNode result = JsonRpc.object();
        ArrayNode prompts = result.putArray("prompts");
        for (Prompt prompt : page.items()) {
            ObjectNode p = prompts.addObject();
            p.put("name", view.promptName(prompt));
            if (prompt.title() != null && Revision.of(version).hasTitles()) {
                p.put("title", prompt.title());
            }
            if (prompt.description() != null) {
                p.put("description", prompt.description());
            }
            Optional<ObjectNode> sent = view.upstreamPresentation(prompt.id());
            if (sent.isPresent()) {
                // A federated prompt's arguments as its upstream sent them (absent when it sent none).
                JsonNode given = sent.get().get("arguments");
                if (given != null) {
                    ArrayNode arguments = p.putArray("arguments");
                    given.forEach(argument -> arguments.add(PresentationFields.argument(argument, version)));
                }
            } else {
                ArrayNode arguments = p.putArray("arguments");
                for (Prompt.PromptArgument argument : prompt.arguments()) {
                    ObjectNode a = arguments.addObject().put("name", argument.name());
                    if (argument.description() != null) {
                        a.put("description", argument.description());
                    }
                    a.put("required", argument.required());
                }
            }
            PresentationFields.add(p, sent, version);
        }
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
        return result;
    }

    /**
     * prompts/get: the registry renders its own templates; a federated prompt is got from its upstream
     * ({@link PromptDispatch} decides which).
     */
    JsonNode get(CatalogView view, JsonNode params, CallFeedback feedback) {
        JsonNode name = params.get("name");
        if (name == null || !name.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"name\" must be the prompt's name");
        }
        Prompt prompt = view.prompt(name.asString())
                .orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name.asString()));
        return UpstreamErrors.translated(() -> dispatch.get(prompt, (ObjectNode) params, feedback));
    }
}
