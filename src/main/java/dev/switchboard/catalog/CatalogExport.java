package dev.switchboard.catalog;

import dev.switchboard.catalog.CatalogDocument.ServerEntry;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Writes the whole catalog as one {@link CatalogDocument}, with stored credentials or without them. */
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

    /** The catalog as a document; with {@code withSecrets} false, stored credentials are left out. */
    public JsonNode export(boolean withSecrets) {
        CatalogDocument document = transactions.read(dsl -> {
            List<ServerEntry> serverEntries = new ArrayList<>();
            for (VirtualServer s : servers.allIn(dsl)) {
                serverEntries.add(new ServerEntry(s, List.copyOf(servers.membersIn(dsl, s.id(), MemberKind.TOOLS)),
                        List.copyOf(servers.membersIn(dsl, s.id(), MemberKind.RESOURCES)),
                        List.copyOf(servers.membersIn(dsl, s.id(), MemberKind.PROMPTS))));
            }
            List<UpstreamGateway> g = gateways.allIn(dsl);
            List<Tool> t = tools.allIn(dsl);
            if (!withSecrets) {
                // Environment names stay in the command document; their sealed values go with the other secrets.
                g = g.stream().map(x -> x.withAuthSecret(null).withCommandSecret(null)).toList();
                t = t.stream().map(x -> x.withAuthSecret(null)).toList();
            }
            return new CatalogDocument(CatalogDocument.FORMAT, CatalogDocument.FORMAT_VERSION,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), withSecrets ? "encrypted" : "omitted", g, t,
                    resources.allIn(dsl), prompts.allIn(dsl), serverEntries);
        });
        return CatalogDocument.withoutBookkeeping(json.valueToTree(document));
    }
}
