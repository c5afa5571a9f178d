package dev.switchboard.mcp;

import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.Tool;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one MCP endpoint serves: the enabled members of a virtual server, or every enabled catalog entry, without
 * those of upstreams that are disabled or unreachable. The two differ only in which entries they hold and in the
 * names tools and prompts are presented under.
 */
interface CatalogView {

    /** The key sessions are bound to, so a session of one endpoint means nothing on another. */
    String endpoint();

    /** The virtual server's id, or null for the whole catalog. */
    String serverId();

    /** Text for the client's model about this server, or null. */
    String instructions();

    List<Tool> tools();

    /** The name clients see and call the tool by. */
    String toolName(Tool tool);

    /**
     * The enabled tool clients call {@code name}, whether or not its upstream is available: a call must find it to
     * fail with the reason (see {@link #includingUnavailable()}).
     */
    default Optional<Tool> tool(String name) {
        return includingUnavailable().tools().stream().filter(t -> name.equals(toolName(t))).findFirst();
    }

    List<Resource> resources();

    /** The title, icons and _meta the upstream sent for this entry, if it is federated and sent any. */
    Optional<ObjectNode> upstreamPresentation(UUID entry);

    List<Prompt> prompts();

    /** The name clients see and get the prompt by. */
    String promptName(Prompt prompt);

    /**
     * The enabled prompt clients get as {@code name}, whether or not its upstream is available (as for
     * {@link #tool}).
     */
    default Optional<Prompt> prompt(String name) {
        return includingUnavailable().prompts().stream().filter(p -> name.equals(promptName(p))).findFirst();
    }

    /**
     * The same endpoint with the entries of unreachable or disabled upstreams back in. Lists leave those out, but a
     * call by name must still find them, so that it fails at once with the reason (the upstream is unreachable)
     * rather than with "unknown tool".
     */
    CatalogView includingUnavailable();

    /** Why the server's policy refuses this call of {@code tool} with {@code arguments}; empty when it may proceed. */
    default Optional<String> refusal(Tool tool, JsonNode arguments) {
        return Optional.empty();
    }
}
