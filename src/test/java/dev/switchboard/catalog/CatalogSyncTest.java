package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.catalog.SyncReport.Counts;
import dev.switchboard.catalog.SyncReport.Skipped;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/** Discovery's storage: what an upstream's lists become in the catalog, on every engine, without any protocol. */
class CatalogSyncTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Fixture(Transactions tx, CatalogSync sync, ToolRepository tools, ResourceRepository resources,
                           PromptRepository prompts, UpstreamGatewayRepository gateways,
                           VirtualServerRepository servers, UpstreamGateway upstream) {

        Tool tool(String original) {
            return tx.read(dsl -> new DiscoveredKind<>(tools, "tool", JSON).of(dsl, upstream.id())).stream()
                    .map(DiscoveredKind.Stored::entry).filter(t -> original.equals(t.originalName())).findFirst()
                    .orElse(null);
        }

        Resource resource(String uri) {
            return tx.read(dsl -> new DiscoveredKind<>(resources, "resource", JSON).of(dsl, upstream.id())).stream()
                    .map(DiscoveredKind.Stored::entry).filter(r -> r.uri().equals(uri)).findFirst().orElse(null);
        }

        Prompt prompt(String original) {
            return tx.read(dsl -> new DiscoveredKind<>(prompts, "prompt", JSON).of(dsl, upstream.id())).stream()
                    .map(DiscoveredKind.Stored::entry).filter(p -> original.equals(p.originalName())).findFirst()
                    .orElse(null);
        }

        /** What the upstream offers, its resources' URIs made its own: URIs are unique across the registry. */
        UpstreamOffer offer(List<JsonNode> tools, List<JsonNode> resources, List<JsonNode> templates,
                            List<JsonNode> prompts) {
            return new UpstreamOffer("2025-06-18", tools, resources.stream().map(this::ours).toList(),
                    templates.stream().map(this::ours).toList(), prompts);
        }

        UpstreamOffer everything() {
            return offer(List.of(ECHO, ADD), List.of(README), List.of(ITEMS), List.of(GREET));
        }

        /** The upstream's own copy of a sample URI. */
        String uri(String sample) {
            return sample.replace("://", "://" + upstream.slug() + "/");
        }

        private JsonNode ours(JsonNode resource) {
            ObjectNode copy = (ObjectNode) resource.deepCopy();
            for (String field : List.of("uri", "uriTemplate")) {
                String value = copy.path(field).asString(null);
                if (value != null && (value.equals("file:///readme") || value.equals("items://{id}"))) {
                    copy.put(field, uri(value));
                }
            }
            return copy;
        }

        JsonNode keptDefinition(String original) {
            return tx.read(dsl -> new DiscoveredKind<>(tools, "tool", JSON).of(dsl, upstream.id())).stream()
                    .filter(s -> original.equals(s.entry().originalName())).findFirst().orElseThrow().definition();
        }
    }

    private static Fixture fixture(TestEngine engine) {
        Transactions tx = engine.shared().transactions();
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(tx);
        ToolRepository tools = new ToolRepository(tx);
        ResourceRepository resources = new ResourceRepository(tx);
        PromptRepository prompts = new PromptRepository(tx);
        String slug = CatalogSamples.unique("up");
        UpstreamGateway upstream = gateways.create(CatalogSamples.gateway(slug, Set.of()));
        return new Fixture(tx, new CatalogSync(tx, gateways, tools, resources, prompts, JSON), tools, resources,
                prompts, gateways, new VirtualServerRepository(tx), upstream);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static final JsonNode ECHO = json("{'name':'echo','title':'Echo','description':'says it back',"
            + "'inputSchema':{'type':'object','properties':{'text':{'type':'string'}}},"
            + "'outputSchema':{'type':'object'},'annotations':{'readOnlyHint':true},"
            + "'icons':[{'src':'https://icons.example/echo.png'}],'_meta':{'x':1},'futureField':[1,2]}");
    private static final JsonNode ADD = json("{'name':'add','inputSchema':{'type':'object','properties':"
            + "{'n':{'type':'number','maximum':1e2,'minimum':-0.50,'multipleOf':0.25}}}}");
    private static final JsonNode README = json("{'uri':'file:///readme','name':'README file','title':'Read me',"
            + "'mimeType':'text/markdown','size':42,'annotations':{'priority':0.5}}");
    private static final JsonNode ITEMS = json("{'uriTemplate':'items://{id}','name':'items','mimeType':'text/plain'}");
    private static final JsonNode GREET = json("{'name':'greet','title':'Greeting','description':'greets',"
            + "'arguments':[{'name':'who','description':'whom','required':true},{'name':'tone'}]}");


    @EngineTest
    void theFirstDiscoveryStoresEveryEntryUnderItsUpstream(TestEngine engine) {
        Fixture f = fixture(engine);
        SyncReport report = f.sync().sync(f.upstream().id(), f.everything());

        assertThat(report.tools()).isEqualTo(new Counts(2, 0, 0, 0));
        assertThat(report.resources()).isEqualTo(new Counts(1, 0, 0, 0));
        assertThat(report.templates()).isEqualTo(new Counts(1, 0, 0, 0));
        assertThat(report.prompts()).isEqualTo(new Counts(1, 0, 0, 0));
        assertThat(report.skipped()).isEmpty();

        Tool echo = f.tool("echo");
        assertThat(echo.name()).isEqualTo(f.upstream().slug() + ".echo");
        assertThat(echo.displayName()).isEqualTo("echo");
        assertThat(echo.integrationType()).isEqualTo(IntegrationType.MCP);
        assertThat(echo.description()).isEqualTo("says it back");
        assertThat(json(echo.inputSchema())).isEqualTo(ECHO.get("inputSchema"));
        assertThat(json(echo.outputSchema())).isEqualTo(ECHO.get("outputSchema"));
        assertThat(json(echo.annotations())).isEqualTo(ECHO.get("annotations"));
        assertThat(echo.enabled()).isTrue();
        assertThat(echo.version()).isEqualTo(1);
        // title, icons, _meta and fields not defined yet are kept whole with the upstream's definition.
        assertThat(f.keptDefinition("echo")).isEqualTo(ECHO);

        Resource readme = f.resource(f.uri("file:///readme"));
        assertThat(readme.name()).isEqualTo("README file");
        assertThat(readme.title()).isEqualTo("Read me");
        assertThat(readme.mimeType()).isEqualTo("text/markdown");
        assertThat(readme.sizeBytes()).isEqualTo(42L);
        assertThat(readme.template()).isFalse();
        assertThat(readme.textContent()).isNull();
        assertThat(json(readme.annotations())).isEqualTo(README.get("annotations"));
        Resource items = f.resource(f.uri("items://{id}"));
        assertThat(items.template()).isTrue();

        Prompt greet = f.prompt("greet");
        assertThat(greet.name()).isEqualTo(f.upstream().slug() + ".greet");
        assertThat(greet.title()).isEqualTo("Greeting");
        assertThat(greet.template()).isNull();
        assertThat(greet.arguments()).containsExactly(new Prompt.PromptArgument("who", "whom", true),
                new Prompt.PromptArgument("tone", null, false));

        UpstreamGateway seen = f.gateways().get(f.upstream().id());
        assertThat(seen.protocolVersion()).isEqualTo("2025-06-18");
        assertThat(seen.lastSeenAt()).isNotNull();
        assertThat(seen.version()).as("status is not configuration").isEqualTo(f.upstream().version());
    }

    @EngineTest
    void anIdleRefreshWritesNothingAndMovesNoRevision(TestEngine engine) {
        Fixture f = fixture(engine);
        f.sync().sync(f.upstream().id(), f.everything());
        Tool before = f.tool("echo");
        CatalogRevision revision = new CatalogRevision(f.tx());
        String fingerprint = revision.current();

        SyncReport again = f.sync().sync(f.upstream().id(), f.everything());

        assertThat(again.unchanged()).isTrue();
        assertThat(again.skipped()).isEmpty();
        assertThat(f.tool("echo")).isEqualTo(before);
        assertThat(revision.current()).isEqualTo(fingerprint);
    }

    /**
     * Member order is part of a definition (clients show a schema's properties in it): a reordered schema is stored
     * again, in the new order. The spelling of a number is not: 1e2 sent as 100.0 changes nothing.
     */
    @EngineTest
    void aReorderedSchemaIsStoredAgainAndARespelledNumberIsNot(TestEngine engine) {
        Fixture f = fixture(engine);
        JsonNode first = json("{'name':'pair','inputSchema':{'type':'object','properties':{'b':{'type':'number',"
                + "'maximum':100},'a':{'type':'string'}}}}");
        f.sync().sync(f.upstream().id(), f.offer(List.of(first), List.of(), List.of(), List.of()));
        Tool stored = f.tool("pair");
        assertThat(stored.inputSchema()).isEqualTo(first.get("inputSchema").toString());

        JsonNode respelled = json("{'name':'pair','inputSchema':{'type':'object','properties':{'b':{'type':'number',"
                + "'maximum':1e2},'a':{'type':'string'}}}}");
        assertThat(f.sync().sync(f.upstream().id(), f.offer(List.of(respelled), List.of(), List.of(), List.of()))
                .unchanged()).isTrue();
        assertThat(f.tool("pair")).isEqualTo(stored);

        JsonNode reordered = json("{'name':'pair','inputSchema':{'type':'object','properties':{'a':{'type':'string'},"
                + "'b':{'maximum':100,'type':'number'}}}}");
        SyncReport report = f.sync().sync(f.upstream().id(),
                f.offer(List.of(reordered), List.of(), List.of(), List.of()));
        assertThat(report.tools()).isEqualTo(new Counts(0, 1, 0, 0));
        assertThat(f.tool("pair").inputSchema()).isEqualTo(reordered.get("inputSchema").toString());
        assertThat(f.tool("pair").version()).isEqualTo(stored.version() + 1);
    }

    @EngineTest
    void aChangedDefinitionIsUpdatedAndTheOperatorsDisplayNameAndTagsStay(TestEngine engine) {
        Fixture f = fixture(engine);
        f.sync().sync(f.upstream().id(), f.everything());
        Tool echo = f.tool("echo");
        Tool renamed = new Tool(echo.id(), echo.gatewayId(), echo.name(), echo.originalName(), "repeat",
                echo.integrationType(), echo.description(), echo.inputSchema(), echo.outputSchema(),
                echo.annotations(), null, AuthType.NONE, null, true, Set.of("ops"), null, null, null, 0);
        f.tools().update(renamed, echo.version());
        Prompt greet = f.prompt("greet");
        assertThat(greet.displayName()).as("the upstream's own name at first").isEqualTo("greet");
        f.prompts().update(new Prompt(greet.id(), greet.gatewayId(), greet.name(), greet.originalName(), "hello",
                greet.title(), greet.description(), null, greet.arguments(), true, Set.of(), null, null, null, 0),
                greet.version());
        CatalogRevision revision = new CatalogRevision(f.tx());
        String fingerprint = revision.current();

        JsonNode newEcho = json("{'name':'echo','description':'says it twice','inputSchema':{'type':'object'}}");
        JsonNode newGreet = json("{'name':'greet','description':'greets warmly'}");
        SyncReport report = f.sync().sync(f.upstream().id(),
                f.offer(List.of(newEcho, ADD), List.of(README), List.of(ITEMS), List.of(newGreet)));
        assertThat(report.prompts()).isEqualTo(new Counts(0, 1, 0, 0));
        assertThat(f.prompt("greet").description()).isEqualTo("greets warmly");
        assertThat(f.prompt("greet").displayName()).as("the operator's, through a changed definition")
                .isEqualTo("hello");

        assertThat(report.tools()).isEqualTo(new Counts(0, 1, 0, 0));
        Tool updated = f.tool("echo");
        assertThat(updated.description()).isEqualTo("says it twice");
        assertThat(updated.displayName()).isEqualTo("repeat");
        assertThat(updated.tags()).containsExactly("ops");
        assertThat(updated.version()).isEqualTo(echo.version() + 2);
        assertThat(updated.outputSchema()).isNull();
        assertThat(revision.current()).isNotEqualTo(fingerprint);
    }

    @EngineTest
    void vanishedEntriesAreDisabledKeepTheirMembershipsAndComeBackEnabled(TestEngine engine) {
        Fixture f = fixture(engine);
        f.sync().sync(f.upstream().id(), f.everything());
        Tool echo = f.tool("echo");
        Resource readme = f.resource(f.uri("file:///readme"));
        Prompt greet = f.prompt("greet");
        VirtualServer server = f.servers().create(CatalogSamples.server(CatalogSamples.unique("vs"), Set.of()));
        f.servers().setTools(server.id(), List.of(echo.id()));
        f.servers().setResources(server.id(), List.of(readme.id()));
        f.servers().setPrompts(server.id(), List.of(greet.id()));

        UpstreamOffer without = f.offer(List.of(ADD), List.of(), List.of(ITEMS), List.of());
        SyncReport gone = f.sync().sync(f.upstream().id(), without);
        assertThat(gone.tools()).isEqualTo(new Counts(0, 0, 1, 0));
        assertThat(gone.resources()).isEqualTo(new Counts(0, 0, 1, 0));
        assertThat(gone.prompts()).isEqualTo(new Counts(0, 0, 1, 0));
        assertThat(f.tool("echo").enabled()).isFalse();
        assertThat(f.resource(f.uri("file:///readme")).enabled()).isFalse();
        assertThat(f.prompt("greet").enabled()).isFalse();
        assertThat(f.servers().memberIds(server.id(), MemberKind.TOOLS)).containsExactly(echo.id());
        assertThat(f.servers().memberIds(server.id(), MemberKind.RESOURCES)).containsExactly(readme.id());
        assertThat(f.servers().memberIds(server.id(), MemberKind.PROMPTS)).containsExactly(greet.id());

        long goneVersion = f.tool("echo").version();
        assertThat(f.sync().sync(f.upstream().id(), without).unchanged()).as("still gone: nothing to write").isTrue();
        assertThat(f.tool("echo").version()).isEqualTo(goneVersion);

        // Renaming it meanwhile is not disabling it: it still comes back.
        Tool vanished = f.tool("echo");
        f.tools().update(new Tool(vanished.id(), vanished.gatewayId(), vanished.name(), vanished.originalName(),
                "echo-renamed", vanished.integrationType(), vanished.description(), vanished.inputSchema(),
                vanished.outputSchema(), vanished.annotations(), null, AuthType.NONE, null, false, vanished.tags(),
                null, null, null, 0), vanished.version());

        SyncReport back = f.sync().sync(f.upstream().id(), f.everything());
        assertThat(back.tools()).isEqualTo(new Counts(0, 0, 0, 1));
        assertThat(f.tool("echo").displayName()).isEqualTo("echo-renamed");
        assertThat(back.resources()).isEqualTo(new Counts(0, 0, 0, 1));
        assertThat(back.prompts()).isEqualTo(new Counts(0, 0, 0, 1));
        assertThat(f.tool("echo").enabled()).isTrue();
        assertThat(f.tool("echo").id()).isEqualTo(echo.id());
        assertThat(f.resource(f.uri("file:///readme")).enabled()).isTrue();
        assertThat(f.prompt("greet").enabled()).isTrue();
        assertThat(f.servers().memberIds(server.id(), MemberKind.TOOLS)).containsExactly(echo.id());
    }

    @EngineTest
    void anEntryTheOperatorDisabledStaysDisabledWhenItComesBack(TestEngine engine) {
        Fixture f = fixture(engine);
        f.sync().sync(f.upstream().id(), f.everything());
        UUID echo = f.tool("echo").id();
        UUID add = f.tool("add").id();
        f.tools().setEnabled(echo, false);
        f.sync().sync(f.upstream().id(), f.offer(List.of(ADD), List.of(), List.of(), List.of()));
        SyncReport back = f.sync().sync(f.upstream().id(), f.everything());
        assertThat(back.tools()).isEqualTo(new Counts(0, 0, 0, 0));
        assertThat(f.tools().get(echo).enabled()).isFalse();

        // Disabled by discovery, then by the operator: the operator's switch wins.
        f.sync().sync(f.upstream().id(), f.offer(List.of(ECHO), List.of(), List.of(), List.of()));
        assertThat(f.tools().get(add).enabled()).isFalse();
        f.tools().setEnabled(add, false);
        f.sync().sync(f.upstream().id(), f.everything());
        assertThat(f.tools().get(add).enabled()).isFalse();
    }

    @EngineTest
    void entriesThatCannotBeStoredAreSkippedAndReported(TestEngine engine) {
        Fixture f = fixture(engine);
        String slug = f.upstream().slug();
        f.tools().create(CatalogSamples.restTool(slug + ".taken", Set.of()));
        f.resources().create(CatalogSamples.resource("hosted-" + slug, Set.of()));
        Fixture other = fixture(engine);
        other.sync().sync(other.upstream().id(),
                other.offer(List.of(), List.of(json("{'uri':'shared://" + slug + "','name':'s'}")), List.of(),
                        List.of()));

        SyncReport report = f.sync().sync(f.upstream().id(), f.offer(
                List.of(json("{'name':'has space'}"), json("{'name':'" + "x".repeat(128) + "'}"),
                        json("{'name':'taken'}"), ADD, ADD, json("{'name':'bad','inputSchema':[]}"), json("[1]")),
                List.of(json("{'uri':'file:///docs/hosted-" + slug + "','name':'hosted'}"),
                        json("{'uri':'shared://" + slug + "','name':'mine'}"), json("{'name':'no uri'}")),
                List.of(),
                List.of(json("{'name':'p','arguments':[{'name':'a'},{'name':'a'}]}"))));

        assertThat(report.tools()).isEqualTo(new Counts(1, 0, 0, 0));
        // A URI that the registry or another upstream also serves is no reason to skip: each source keeps its own.
        assertThat(report.resources()).isEqualTo(new Counts(2, 0, 0, 0));
        assertThat(report.skipped()).extracting(Skipped::kind, Skipped::name).containsExactlyInAnyOrder(
                tuple("tool", "has space"),
                tuple("tool", EntryRules.shorten("x".repeat(128))),
                tuple("tool", "taken"),
                tuple("tool", "add"),
                tuple("tool", "bad"),
                tuple("tool", null),
                tuple("resource", null),
                tuple("prompt", "p"));
        assertThat(report.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
        assertThat(other.resource("shared://" + slug).name()).as("never taken over").isEqualTo("s");
        assertThat(f.resource("shared://" + slug).name()).isEqualTo("mine");
        assertThat(f.resource("file:///docs/hosted-" + slug).name()).isEqualTo("hosted");
    }

    @EngineTest
    void aNewSlugRenamesTheUpstreamsEntries(TestEngine engine) {
        Fixture f = fixture(engine);
        f.sync().sync(f.upstream().id(), f.everything());
        UpstreamGateway g = f.upstream();
        String slug = CatalogSamples.unique("renamed");
        f.gateways().update(new UpstreamGateway(g.id(), g.name(), slug, g.description(), g.transport(), g.url(),
                g.command(), g.commandSecret(), g.authType(), g.authSecret(), g.options(), g.protocolVersion(),
                g.enabled(),
                g.reachable(), g.lastSeenAt(), g.tags(), null, null, null, 0), g.version());
        SyncReport report = f.sync().sync(g.id(), f.everything());
        assertThat(report.tools()).isEqualTo(new Counts(0, 2, 0, 0));
        assertThat(report.prompts()).isEqualTo(new Counts(0, 1, 0, 0));
        assertThat(f.tools().get(f.tool("echo").id()).name()).isEqualTo(slug + ".echo");
    }
}
