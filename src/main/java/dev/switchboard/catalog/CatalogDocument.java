package dev.switchboard.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole catalog as one document, for export and import. Entries keep their ids, so an import recognises
 * what it already holds; creation times and versions are bookkeeping of the registry that holds them, and are
 * left out.
 *
 * @param format        always {@value #FORMAT}
 * @param formatVersion {@value #FORMAT_VERSION}; a reader refuses versions it does not know
 * @param secrets       "encrypted" (stored ciphertexts, which only the same key can open) or "omitted"
 */
public record CatalogDocument(String format, Integer formatVersion, Instant exportedAt, String secrets,
                              List<UpstreamGateway> gateways, List<Tool> tools, List<Resource> resources,
                              List<Prompt> prompts, List<ServerEntry> servers) {

    public static final String FORMAT = "switchboard-catalog";
    public static final int FORMAT_VERSION = 1;
    private static final Set<String> BOOKKEEPING = Set.of("createdAt", "updatedAt", "version");

    public CatalogDocument {
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        tools = tools == null ? List.of() : List.copyOf(tools);
        resources = resources == null ? List.of() : List.copyOf(resources);
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    /** A virtual server with the ids of what it contains. */
    public record ServerEntry(VirtualServer server, List<UUID> tools, List<UUID> resources, List<UUID> prompts) {

        public ServerEntry {
            tools = tools == null ? List.of() : List.copyOf(tools);
            resources = resources == null ? List.of() : List.copyOf(resources);
            prompts = prompts == null ? List.of() : List.copyOf(prompts);
        }
    }

    /** Removes creation times and versions from every entry of a document (or of one entry), wherever they are. */
    static JsonNode withoutBookkeeping(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            object.remove(BOOKKEEPING);
            object.properties().forEach(e -> withoutBookkeeping(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(CatalogDocument::withoutBookkeeping);
        }
        return node;
    }
}
