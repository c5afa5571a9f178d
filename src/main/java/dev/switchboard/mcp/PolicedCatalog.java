package dev.switchboard.mcp;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.Tool;
import dev.switchboard.policy.Policy;
import dev.switchboard.policy.PolicyValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A virtual server as one caller sees it under the server's policy: the tools the policy refuses this caller are not
 * listed, and a call of one is refused with the rule's reason (a call by name still finds it, so that the refusal
 * says why rather than "unknown tool"). Everything else is the server's.
 *
 * @param caller what the policy's rules see as {@code caller}: {@code sub}, {@code teams}, {@code scopes} and
 *               {@code claims}
 */
record PolicedCatalog(CatalogView server, Policy policy, Map<String, Object> caller) implements CatalogView {

    private static final String LIST = "tools/list";
    private static final String CALL = "tools/call";

    @Override
    public String endpoint() {
        return server.endpoint();
    }

    @Override
    public String serverId() {
        return server.serverId();
    }

    @Override
    public String instructions() {
        return server.instructions();
    }

    @Override
    public List<Tool> tools() {
        return server.tools().stream().filter(t -> policy.lists(caller, LIST, server.toolName(t))).toList();
    }

    @Override
    public String toolName(Tool tool) {
        return server.toolName(tool);
    }

    @Override
    public Optional<Tool> tool(String name) {
        return server.tool(name);
    }

    @Override
    public List<Resource> resources() {
        return server.resources();
    }

    @Override
    public Optional<ObjectNode> upstreamPresentation(UUID entry) {
        return server.upstreamPresentation(entry);
    }

    @Override
    public List<Prompt> prompts() {
        return server.prompts();
    }

    @Override
    public String promptName(Prompt prompt) {
        return server.promptName(prompt);
    }

    @Override
    public Optional<Prompt> prompt(String name) {
        return server.prompt(name);
    }

    @Override
    public CatalogView includingUnavailable() {
        return new PolicedCatalog(server.includingUnavailable(), policy, caller);
    }

    @Override
    public Optional<String> refusal(Tool tool, JsonNode arguments) {
        Policy.Decision decision = policy.decide(caller, CALL, server.toolName(tool), PolicyValues.of(arguments));
        return decision.allowed() ? Optional.empty() : Optional.of(decision.reason());
    }
}
