package dev.switchboard.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

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
}
