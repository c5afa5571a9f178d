package dev.switchboard.catalog;

import dev.switchboard.catalog.CatalogDocument.ServerEntry;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the catalog as one {@link CatalogDocument}, with stored credentials or without them: the whole of it for a
 * caller held to no team, else the entries (virtual servers included) of the caller's teams.
 */
@Service
public class CatalogExport {

    private final Transactions transactions;
    private final UpstreamGatewayRepository gateways;
    private final ToolRepository tools;
    private final ResourceRepository resources;
    private final PromptRepository prompts;
    private final VirtualServerRepository servers;
    private final JsonMapper json;

    public CatalogExport(Transactions transactions, UpstreamGatewayRepository gateways, ToolRepository tools,
                         ResourceRepository resources, PromptRepository prompts, VirtualServerRepository servers,
                         JsonMapper json) {
        this.transactions = transactions;
        this.gateways = gateways;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
        this.servers = servers;
        this.json = json;
    }

    /**
     * The part of the catalog {@code access} reaches, as a document; with {@code withSecrets} false, stored
     * credentials are left out.
     */
    public JsonNode export(boolean withSecrets, TeamAccess access) {
        CatalogDocument document = transactions.read(dsl -> {
            List<ServerEntry> serverEntries = new ArrayList<>();
            for (VirtualServer s : reached(servers.allIn(dsl), access)) {
                serverEntries.add(new ServerEntry(s, List.copyOf(servers.membersIn(dsl, s.id(), MemberKind.TOOLS)),
                        List.copyOf(servers.membersIn(dsl, s.id(), MemberKind.RESOURCES)),
                        List.copyOf(servers.membersIn(dsl, s.id(), MemberKind.PROMPTS))));
            }
            List<UpstreamGateway> g = reached(gateways.allIn(dsl), access);
            List<Tool> t = reached(tools.allIn(dsl), access);
            if (!withSecrets) {
                // Environment names stay in the command document; their sealed values go with the other secrets.
                g = g.stream().map(x -> x.withAuthSecret(null).withCommandSecret(null)).toList();
                t = t.stream().map(x -> x.withAuthSecret(null)).toList();
            }
            return new CatalogDocument(CatalogDocument.FORMAT, CatalogDocument.FORMAT_VERSION,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), withSecrets ? "encrypted" : "omitted", g, t,
                    reached(resources.allIn(dsl), access), reached(prompts.allIn(dsl), access), serverEntries);
        });
        return CatalogDocument.withoutBookkeeping(json.valueToTree(document));
    }

    /** The entries of the teams {@code access} is a member of: what an import by the same caller may hold. */
    private static <T extends CatalogEntry> List<T> reached(List<T> entries, TeamAccess access) {
        return access.everything() ? entries
                : entries.stream().filter(e -> access.reachesAny(Set.of(e.teamId()))).toList();
    }
}
