package dev.switchboard.invocation;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.UriTemplates;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Completes an argument: asked of the upstream that serves the referenced prompt or resource template, under its
 * own name; the registry's own prompts and templates declare no completions, so they get an empty list.
 */
@Component
public class CompletionDispatch {

    private final UpstreamCalls upstreams;

    CompletionDispatch(UpstreamCalls upstreams) {
        this.upstreams = upstreams;
    }

    /**
     * The CompleteResult for the completion/complete {@code params} (with {@code ref} and {@code argument}
     * objects), a prompt reference looked up by {@code promptNamed} (the endpoint's presented names), a resource
     * reference among {@code resources}.
     *
     * @throws dev.switchboard.protocol.JsonRpcException the JSON-RPC error to answer when the upstream fails
     */
    public JsonNode complete(Function<String, Optional<Prompt>> promptNamed, List<Resource> resources,
                             ObjectNode params, CallFeedback feedback) {
        JsonNode ref = params.path("ref");
        ObjectNode forwarded = params.deepCopy();
        Optional<UUID> upstream = switch (ref.path("type").asString("")) {
            case "ref/prompt" -> (ref.path("name").isString() ? promptNamed.apply(ref.path("name").asString())
                    : Optional.<Prompt>empty()).filter(p -> p.gatewayId() != null).map(p -> {
                        forwarded.withObject("ref").put("name", p.originalName());
                        return p.gatewayId();
                    });
            case "ref/resource" -> resources.stream()
                    .filter(r -> r.gatewayId() != null && sameOrExpands(r, ref.path("uri").asString("")))
                    .findFirst().map(Resource::gatewayId);
            default -> Optional.empty();
        };
        if (upstream.isPresent()) {
            return UpstreamFailures.asJsonRpcErrors(() -> upstreams.forward(upstream.get(), "completion/complete",
                    forwarded, feedback));
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.putObject("completion").put("total", 0).put("hasMore", false).putArray("values");
        return result;
    }

    /** A completion names a template by the template itself, or (some clients) by a URI it expands to. */
    private static boolean sameOrExpands(Resource resource, String uri) {
        return resource.uri().equals(uri) || resource.template() && UriTemplates.matches(resource.uri(), uri);
    }
}
