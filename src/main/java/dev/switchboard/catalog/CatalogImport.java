package dev.switchboard.catalog;

import dev.switchboard.catalog.CatalogDocument.ServerEntry;
import dev.switchboard.catalog.ImportReport.Change;
import dev.switchboard.catalog.ImportReport.Conflict;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.SecretDecryptionException;
import dev.switchboard.security.TeamAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Import of a {@link CatalogDocument}. An import runs in one transaction: it creates what is missing,
 * updates what differs, leaves alone what is equal (so a second import of the same document changes nothing),
 * and rolls everything back on a dry run or at the first sign of a conflict, after listing every conflict.
 * A caller held to teams imports under the rules of the REST API: they create and change only entries of the teams
 * they edit, an entry of a team they are no member of is refused even when unchanged, and a server they compose
 * takes only entries they see; every entry they may not write is listed as refused, and nothing is applied.
 */
@Service
public class CatalogImport {

    private final Transactions transactions;
    private final UpstreamGatewayRepository gateways;
    private final ToolRepository tools;
    private final ResourceRepository resources;
    private final PromptRepository prompts;
    private final VirtualServerRepository servers;
    private final Credentials credentials;
    private final JsonMapper json;
    /** Reads documents, whose entries lack the versions that the records hold as primitives. */
    private final JsonMapper documents;

    public CatalogImport(Transactions transactions, UpstreamGatewayRepository gateways, ToolRepository tools,
                           ResourceRepository resources, PromptRepository prompts, VirtualServerRepository servers,
                           Credentials credentials, JsonMapper json) {
        this.transactions = transactions;
        this.gateways = gateways;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
        this.servers = servers;
        this.credentials = credentials;
        this.json = json;
        this.documents = json.rebuild().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    }

    /** Reads a document; a malformed one fails with the field at fault. */
    public CatalogDocument read(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new InvalidEntryException("", "the import must be a catalog document, a JSON object");
        }
        if (!CatalogDocument.FORMAT.equals(document.path("format").asString(null))) {
            throw new InvalidEntryException("format", "format must be \"" + CatalogDocument.FORMAT + "\"");
        }
        if (document.path("formatVersion").asInt(-1) != CatalogDocument.FORMAT_VERSION) {
            throw new InvalidEntryException("formatVersion", "this Switchboard reads formatVersion "
                    + CatalogDocument.FORMAT_VERSION + ", not " + document.get("formatVersion"));
        }
        String secrets = document.path("secrets").asString("");
        if (!secrets.equals("encrypted") && !secrets.equals("omitted")) {
            throw new InvalidEntryException("secrets", "secrets must be \"encrypted\" or \"omitted\"");
        }
        return documents.treeToValue(document, CatalogDocument.class);
    }

    /**
     * Applies {@code document} as a caller who reaches {@code access}, or only reports what it would do when
     * {@code dryRun} is true.
     */
    public ImportReport apply(CatalogDocument document, boolean dryRun, TeamAccess access) {
        try {
            return transactions.write(dsl -> {
                Run run = new Run(dsl, "omitted".equals(document.secrets()), access);
                run.entries("gateway", gateways, document.gateways(), GATEWAY_SECRETS);
                run.entries("tool", tools, document.tools(), TOOL_SECRETS);
                run.entries("resource", resources, document.resources(), null);
                run.entries("prompt", prompts, document.prompts(), null);
                run.entries("server", servers, document.servers().stream().map(ServerEntry::server).toList(), null);
                for (ServerEntry entry : document.servers()) {
                    run.members(entry);
                }
                ImportReport report = run.report(dryRun);
                if (!report.applied()) {
                    throw new Undo(report);
                }
                return report;
            });
        } catch (Undo undo) {
            return undo.report;
        }
    }

    /** Rolls the import's transaction back while carrying its report out. */
    private static final class Undo extends RuntimeException {
        final ImportReport report;

        Undo(ImportReport report) {
            super(null, null, false, false);
            this.report = report;
        }
    }

    /** The work and findings of one import. */
    private final class Run {
        final DSLContext dsl;
        final boolean secretsOmitted;
        final TeamAccess access;
        final List<Change> changes = new ArrayList<>();
        final List<Conflict> conflicts = new ArrayList<>();
        final List<Conflict> refused = new ArrayList<>();
        int unchanged;

        Run(DSLContext dsl, boolean secretsOmitted, TeamAccess access) {
            this.dsl = dsl;
            this.secretsOmitted = secretsOmitted;
            this.access = access;
        }

        <T extends CatalogEntry> void entries(String kind, CatalogRepository<T> repository, List<T> incoming,
                                              SecretAccess<T> secrets) {
            for (T entry : incoming) {
                if (entry == null || entry.id() == null || entry.name() == null) {
                    conflicts.add(new Conflict(kind, entry == null ? null : entry.id(),
                            entry == null ? null : entry.name(), "every entry needs an id and a name"));
                    continue;
                }
                Optional<T> existing = repository.findIn(dsl, entry.id());
                String refusal = existing.isPresent() ? unreachable(repository, existing.get())
                        : uneditable(repository, null, entry);
                if (refusal != null) {
                    refused.add(new Conflict(kind, entry.id(), entry.name(), refusal));
                    continue;
                }
                try {
                    EntryRules.name("name", entry.name());
                    EntryRules.tags("tags", entry.tags());
                    entry = secrets == null ? entry : secrets.resolve(entry, existing.orElse(null), secretsOmitted);
                    if (entry instanceof UpstreamGateway g) {
                        @SuppressWarnings("unchecked")
                        T resolved = (T) environment(g, (UpstreamGateway) existing.orElse(null));
                        entry = resolved;
                    }
                    requireParent(entry);
                    requireTeams(repository, entry);
                } catch (InvalidEntryException e) {
                    conflicts.add(new Conflict(kind, entry.id(), entry.name(), e.getMessage()));
                    continue;
                }
                Optional<UUID> holder = repository.holderOfUniqueValues(dsl, entry);
                if (holder.isPresent()) {
                    conflicts.add(new Conflict(kind, entry.id(), entry.name(), "the " + repository.noun() + " "
                            + holder.get() + " already holds this name" + (kind.equals("resource") ? " or uri" : "")));
                    continue;
                }
                if (existing.isEmpty()) {
                    repository.insertIn(dsl, entry);
                    changes.add(new Change(kind, entry.id(), entry.name(), "create"));
                } else if (same(existing.get(), entry, secrets)) {
                    unchanged++;
                } else if ((refusal = uneditable(repository, existing.get(), entry)) != null) {
                    refused.add(new Conflict(kind, entry.id(), entry.name(), refusal));
                } else {
                    repository.replaceIn(dsl, entry);
                    changes.add(new Change(kind, entry.id(), entry.name(), "update"));
                }
            }
        }

        /** Why the caller may not even see {@code stored}, or null when they are a member of its team. */
        String unreachable(CatalogRepository<?> repository, CatalogEntry stored) {
            return access.reachesAny(Set.of(stored.teamId())) ? null : "the " + repository.noun() + " "
                    + stored.id() + " belongs to a team you are no member of";
        }

        /**
         * Why the caller may not write {@code entry} over {@code stored} (null for a new entry), or null when they
         * edit both teams: the entry's now and the one the document gives it.
         */
        String uneditable(CatalogRepository<?> repository, CatalogEntry stored, CatalogEntry entry) {
            UUID team = stored != null && !access.edits(stored.teamId()) ? stored.teamId()
                    : access.edits(entry.teamId()) ? null : entry.teamId();
            return team == null ? null : "you may not " + (stored == null ? "create" : "change") + " a "
                    + repository.noun() + " of the team " + team + ": that takes an editor or an owner of it";
        }

        void requireParent(CatalogEntry entry) {
            UUID gatewayId = switch (entry) {
                case Tool t -> t.gatewayId();
                case Resource r -> r.gatewayId();
                case Prompt p -> p.gatewayId();
                default -> null;
            };
            if (gatewayId != null && gateways.findIn(dsl, gatewayId).isEmpty()) {
                throw new InvalidEntryException("gatewayId", "its upstream gateway " + gatewayId
                        + " is neither in the document nor in the registry");
            }
        }

        /** An entry may only belong to, or be shared with, teams this registry has: teams are not imported. */
        void requireTeams(CatalogRepository<?> repository, CatalogEntry entry) {
            Set<UUID> unknown = repository.unknownTeamsIn(dsl, Set.of(entry.teamId()));
            if (!unknown.isEmpty()) {
                throw new InvalidEntryException("teamId", "its team " + unknown.iterator().next()
                        + " is not in this registry; create it, or change the entry's teamId");
            }
            if (entry instanceof VirtualServer server) {
                Set<UUID> shared = repository.unknownTeamsIn(dsl, server.sharedWith());
                if (!shared.isEmpty()) {
                    throw new InvalidEntryException("sharedWith", "it is shared with the team "
                            + shared.iterator().next() + ", which is not in this registry");
                }
            }
        }

        void members(ServerEntry entry) {
            VirtualServer server = entry.server();
            if (server == null || server.id() == null || servers.findIn(dsl, server.id()).isEmpty()) {
                return;
            }
            change(server, MemberKind.TOOLS, entry.tools(), tools);
            change(server, MemberKind.RESOURCES, entry.resources(), resources);
            change(server, MemberKind.PROMPTS, entry.prompts(), prompts);
        }

        private void change(VirtualServer server, MemberKind kind, List<UUID> wanted,
                            CatalogRepository<?> repository) {
            Set<UUID> target = new TreeSet<>(wanted);
            Set<UUID> current = new TreeSet<>(servers.membersIn(dsl, server.id(), kind));
            // A server already refused (as an entry, or for another kind of member) is listed once.
            if (target.equals(current)
                    || refused.stream().anyMatch(r -> r.kind().equals("server") && server.id().equals(r.id()))) {
                return;
            }
            String refusal = uneditable(servers, servers.findIn(dsl, server.id()).orElseThrow(), server);
            if (refusal != null) {
                refused.add(new Conflict("server", server.id(), server.name(), refusal));
                return;
            }
            for (UUID member : target) {
                Optional<? extends CatalogEntry> found = repository.findIn(dsl, member);
                if (found.isEmpty()) {
                    conflicts.add(new Conflict("server", server.id(), server.name(), "it contains the "
                            + repository.noun() + " " + member + ", which is neither in the document nor in the registry"));
                    return;
                }
                // As through the API: a caller composes only what they see; members already there stay.
                if (!current.contains(member) && unreachable(repository, found.get()) != null) {
                    refused.add(new Conflict("server", server.id(), server.name(), "it would contain the "
                            + repository.noun() + " " + member + ", of a team you are no member of"));
                    return;
                }
            }
            try {
                servers.replaceMembersIn(dsl, server.id(), kind, target);
                changes.add(new Change("server", server.id(), server.name(), "update " + kind.name().toLowerCase()));
            } catch (NameTakenException e) {
                conflicts.add(new Conflict("server", server.id(), server.name(), e.getMessage()));
            }
        }

        ImportReport report(boolean dryRun) {
            return new ImportReport(dryRun, !dryRun && conflicts.isEmpty() && refused.isEmpty(),
                    List.copyOf(changes), List.copyOf(conflicts), List.copyOf(refused), unchanged);
        }

        /**
         * A gateway whose stdio environment values can be used: sealed under the current key, for exactly the names
         * its command document lists. Values the export left out are kept from the stored gateway; values an older
         * export carried in clear inside the command document are sealed now.
         */
        private UpstreamGateway environment(UpstreamGateway g, UpstreamGateway stored) {
            if (g.command() == null) {
                return g.withCommandSecret(null);
            }
            CommandDocument document = CommandDocument.parse(g.command());
            Map<String, String> values = new LinkedHashMap<>();
            if (g.commandSecret() != null && !secretsOmitted) {
                try {
                    values.putAll(credentials.openEnvironment(g.commandSecret()));
                } catch (SecretDecryptionException e) {
                    throw new InvalidEntryException("commandSecret", "its stdio environment values do not decrypt "
                            + "under this gateway's key: " + e.getMessage());
                }
            }
            if (!document.holdsClearValues() && values.keySet().equals(Set.copyOf(document.envNames()))) {
                // Whole and readable as exported: kept as it is, like an exported credential.
                return values.isEmpty() ? g.withCommandSecret(null) : g;
            }
            values.putAll(document.clearValues());
            List<String> missing = document.envNames().stream().filter(n -> !values.containsKey(n)).toList();
            if (!missing.isEmpty() && stored != null) {
                Map<String, String> kept;
                try {
                    kept = credentials.openEnvironment(stored.commandSecret());
                } catch (SecretDecryptionException e) {
                    kept = Map.of();
                }
                for (String name : missing) {
                    if (kept.containsKey(name)) {
                        values.put(name, kept.get(name));
                    }
                }
            }
            List<String> absent = document.envNames().stream().filter(n -> !values.containsKey(n)).toList();
            if (!absent.isEmpty()) {
                throw new InvalidEntryException("commandSecret", "the values of its stdio environment " + absent
                        + " were left out of the export and the registry holds none to keep");
            }
            values.keySet().retainAll(document.envNames());
            // The document is rewritten only when it held clear values: as stored, it compares equal to the export.
            String names = document.holdsClearValues()
                    ? CommandDocument.of(document.command(), document.args(), document.envNames()).toJson()
                    : g.command();
            if (stored != null && values.equals(openedEnvironment(stored))) {
                return g.withCommand(names, stored.commandSecret());
            }
            return g.withCommand(names, credentials.sealEnvironment(values));
        }

        @SuppressWarnings("unchecked")
        private <T extends CatalogEntry> T withoutEnvironment(T entry) {
            return entry instanceof UpstreamGateway g ? (T) g.withCommandSecret(null) : entry;
        }

        private Map<String, String> openedEnvironment(CatalogEntry entry) {
            if (!(entry instanceof UpstreamGateway g)) {
                return Map.of();
            }
            try {
                return credentials.openEnvironment(g.commandSecret());
            } catch (SecretDecryptionException e) {
                return null;
            }
        }

        /** Equal in everything the document carries: bookkeeping aside, and secrets compared in clear. */
        private <T extends CatalogEntry> boolean same(T stored, T incoming, SecretAccess<T> secrets) {
            if (secrets != null && !Objects.equals(open(secrets, stored), open(secrets, incoming))) {
                return false;
            }
            if (!Objects.equals(openedEnvironment(stored), openedEnvironment(incoming))) {
                return false;
            }
            // Sealed values differ on every sealing: they were compared in clear above.
            UnaryOperator<T> noSecret = secrets == null ? e -> e : e -> withoutEnvironment(secrets.with(e, null));
            return comparable(tree(noSecret.apply(stored))).equals(comparable(tree(noSecret.apply(incoming))));
        }

        /**
         * What an import compares: bookkeeping aside, and an upstream's health (reachable, lastSeenAt), which health
         * checks own and an update never writes; a check between the export and the import is no change.
         */
        private static JsonNode comparable(JsonNode entry) {
            JsonNode tree = CatalogDocument.withoutBookkeeping(entry);
            if (tree instanceof ObjectNode object) {
                object.remove(List.of("reachable", "lastSeenAt"));
            }
            return tree;
        }

        private <T extends CatalogEntry> Credential open(SecretAccess<T> secrets, T entry) {
            try {
                return credentials.open(secrets.type(entry), secrets.secret(entry));
            } catch (SecretDecryptionException e) {
                return null;
            }
        }
    }

    /** How an entry kind holds its stored credential. */
    private interface SecretAccess<T> {
        AuthType type(T entry);

        String secret(T entry);

        T with(T entry, String secret);

        /**
         * The entry with a usable secret: an omitted one is taken from the stored entry when its auth type is
         * unchanged; an encrypted one must open under the current key.
         */
        default T resolve(T entry, T stored, boolean omitted) {
            AuthType type = type(entry) == null ? AuthType.NONE : type(entry);
            if (type == AuthType.NONE) {
                return with(entry, null);
            }
            if (omitted || secret(entry) == null) {
                if (stored != null && type(stored) == type && secret(stored) != null) {
                    return with(entry, secret(stored));
                }
                throw new InvalidEntryException("authSecret", "its " + type.name().toLowerCase()
                        + " credential was left out of the export and the registry holds none to keep");
            }
            return entry;
        }
    }

    private static final SecretAccess<UpstreamGateway> GATEWAY_SECRETS = new SecretAccess<>() {
        public AuthType type(UpstreamGateway g) {
            return g.authType();
        }

        public String secret(UpstreamGateway g) {
            return g.authSecret();
        }

        public UpstreamGateway with(UpstreamGateway g, String secret) {
            return g.withAuthSecret(secret);
        }
    };

    private static final SecretAccess<Tool> TOOL_SECRETS = new SecretAccess<>() {
        public AuthType type(Tool t) {
            return t.authType();
        }

        public String secret(Tool t) {
            return t.authSecret();
        }

        public Tool with(Tool t, String secret) {
            return t.withAuthSecret(secret);
        }
    };

    /** The entry as its JSON text reads back: binary content as a base64 string, whichever way it was built. */
    private JsonNode tree(Object entry) {
        return json.readTree(json.writeValueAsString(entry));
    }

}
