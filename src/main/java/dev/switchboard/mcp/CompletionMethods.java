package dev.switchboard.mcp;

import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.UriTemplates;
import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.invocation.UpstreamCalls;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * completion/complete: asked of the upstream that serves the referenced prompt or resource template, under its
 * own name; the registry's own prompts and templates declare no completions, so they get an empty list.
 */
@Component
class CompletionMethods {

    private final UpstreamCalls upstreams;

    CompletionMethods(UpstreamCalls upstreams) {
        this.upstreams = upstreams;
    }

    JsonNode complete(CatalogView view, JsonNode params, CallFeedback feedback) {
        JsonNode ref = params.path("ref");
        if (!ref.isObject() || !params.path("argument").isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: \"ref\" and \"argument\" are required");
        }
        ObjectNode forwarded = ((ObjectNode) params).deepCopy();
        Optional<UUID> upstream = switch (ref.path("type").asString("")) {
            case "ref/prompt" -> view.includingUnavailable().prompts().stream()
                    .filter(p -> p.gatewayId() != null && p.name().equals(ref.path("name").asString(null)))
                    .findFirst().map(p -> {
                        forwarded.withObject("ref").put("name", p.originalName());
                        return p.gatewayId();
                    });
            case "ref/resource" -> view.includingUnavailable().resources().stream()
                    .filter(r -> r.gatewayId() != null && sameOrExpands(r, ref.path("uri").asString("")))
                    .findFirst().map(Resource::gatewayId);
            default -> Optional.empty();
        };
        if (upstream.isPresent()) {
            return UpstreamErrors.translated(() -> upstreams.forward(upstream.get(), "completion/complete",
                    forwarded, feedback));
        }
        ObjectNode result = JsonRpc.object();
        result.putObject("completion").put("total", 0).put("hasMore", false).putArray("values");
        return result;
    }

    /** A completion names a template by the template itself, or (some clients) by a URI it expands to. */
    private static boolean sameOrExpands(Resource resource, String uri) {
        return resource.uri().equals(uri) || resource.template() && UriTemplates.matches(resource.uri(), uri);
    }
}
