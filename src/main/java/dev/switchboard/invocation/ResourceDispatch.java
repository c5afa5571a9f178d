package dev.switchboard.invocation;

import dev.switchboard.catalog.Resource;
import dev.switchboard.observability.EntityType;
import dev.switchboard.observability.InvocationRecorder;
import java.util.Base64;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a resource: hosted content from the registry, or the upstream's answer, unchanged, for a federated
 * resource or a URI that a federated template expands to. Every read is measured.
 */
@Component
public class ResourceDispatch {

    private final UpstreamCalls upstreams;
    private final InvocationRecorder recorder;

    ResourceDispatch(UpstreamCalls upstreams, InvocationRecorder recorder) {
        this.upstreams = upstreams;
        this.recorder = recorder;
    }

    /**
     * The ReadResourceResult of {@code resource} for the resources/read {@code params}.
     *
     * @throws dev.switchboard.protocol.JsonRpcException the JSON-RPC error to answer when the read fails
     */
    public JsonNode read(Resource resource, ObjectNode params, CallFeedback feedback) {
        ObjectNode audited = JsonNodeFactory.instance.objectNode().set("uri", params.get("uri"));
        return recorder.time(EntityType.RESOURCE, resource.id(), resource.name(), audited,
                () -> result(resource, params, feedback), r -> null, InvocationErrors::ofAnswer);
    }

    private JsonNode result(Resource resource, ObjectNode params, CallFeedback feedback) {
        if (resource.gatewayId() != null) {
            return UpstreamFailures.asJsonRpcErrors(() -> upstreams.forward(resource.gatewayId(), "resources/read",
                    params, feedback));
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ObjectNode content = result.putArray("contents").addObject();
        content.put("uri", resource.uri());
        if (resource.mimeType() != null) {
            content.put("mimeType", resource.mimeType());
        }
        byte[] binary = resource.binaryContent();
        if (binary != null) {
            content.put("blob", Base64.getEncoder().encodeToString(binary));
        } else {
            content.put("text", resource.textContent() == null ? "" : resource.textContent());
        }
        return result;
    }
}
