package dev.switchboard.catalog;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Everything one upstream offers, as it sent it: the entries of its tools/list, resources/list,
 * resources/templates/list and prompts/list results, whole. A kind the upstream does not offer is an empty list.
 * {@code instructions} are those of its initialize result (null when it gave none, or has no initialize).
 */
public record UpstreamOffer(String protocolVersion, List<JsonNode> tools, List<JsonNode> resources,
                            List<JsonNode> templates, List<JsonNode> prompts, String instructions) {

    /** An offer without instructions. */
    public UpstreamOffer(String protocolVersion, List<JsonNode> tools, List<JsonNode> resources,
                         List<JsonNode> templates, List<JsonNode> prompts) {
        this(protocolVersion, tools, resources, templates, prompts, null);
    }

    public UpstreamOffer {
        tools = tools == null ? List.of() : List.copyOf(tools);
        resources = resources == null ? List.of() : List.copyOf(resources);
        templates = templates == null ? List.of() : List.copyOf(templates);
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
    }
}
