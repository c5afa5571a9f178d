package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.invocation.CompletionDispatch;
import dev.switchboard.protocol.JsonRpcException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * completion/complete: checked here, answered by {@link CompletionDispatch} (the upstream that serves the
 * referenced prompt or resource template, or an empty list for the registry's own).
 */
@Component
class CompletionMethods {

    private final CompletionDispatch dispatch;

    CompletionMethods(CompletionDispatch dispatch) {
        this.dispatch = dispatch;
    }

    JsonNode complete(CatalogView view, JsonNode params, CallFeedback feedback) {
        JsonNode ref = params.path("ref");
        if (!ref.isObject() || !params.path("argument").isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: \"ref\" and \"argument\" are required");
        }
        CatalogView all = view.includingUnavailable();
        return UpstreamErrors.translated(() -> dispatch.complete(view::prompt, all.resources(), (ObjectNode) params,
                feedback));
    }
}
