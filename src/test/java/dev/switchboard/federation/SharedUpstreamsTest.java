package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of one upstream registered side by side: both are discovered whole, URIs included; a virtual server
 * holds one resource per URI and presents prompts under display names; /mcp picks one source per URI by a fixed rule.
 */
class SharedUpstreamsTest {

    /** One instance of the fixture, serving a fixed resource and a template under URIs both instances share. */
    private record Instance(UpstreamServers.Http server, String id, String slug) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private static Instance start(Client admin, String label, String run) {
        UpstreamServers.Http server = UpstreamServers.streamable(null);
        server.server().addResource(new SyncResourceSpecification(McpSchema.Resource.builder()
                .uri(doc(run)).name("doc-" + run).mimeType("text/plain").build(),
                (x, r) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(),
                        "text/plain", "from " + label)))));
        server.server().addResourceTemplate(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate
                .builder(items(run), "items-" + run).mimeType("text/plain").build(),
                (x, r) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(),
                        "text/plain", "item from " + label)))));
        String slug = "sh" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Reply created = admin.post("/v1/gateways", Map.of("name", slug, "slug", slug, "url", server.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode discovery = created.json().get("discovery");
        assertThat(discovery.get("status").asString()).as(discovery.toString()).isEqualTo("completed");
        assertThat(discovery.get("skipped").isEmpty()).as(discovery.toString()).isTrue();
        return new Instance(server, created.id(), slug);
    }

    private static String doc(String run) {
        return "shared-" + run + "://doc";
    }

    private static String items(String run) {
        return "shared-" + run + "://items/{id}";
    }

    /** The id of the entry of {@code collection} that {@code instance} serves and that {@code q} finds. */
    private static String entryOf(Client admin, String collection, String q, Instance instance) {
        for (JsonNode item : admin.get("/v1/" + collection + "?limit=500&q=" + q).json().get("items")) {
            if (instance.id().equals(item.path("gatewayId").asString(null))) {
                return item.get("id").asString();
            }
        }
        throw new AssertionError("no " + collection + " '" + q + "' of " + instance.slug());
    }

    private static void assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).isEqualTo(type);
    }

    private static McpSyncClient client(GatewayUnderTest gateway, String endpoint) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.baseUrl())
                .endpoint(endpoint)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", gateway.admin().authorization()))
                .build()).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        return client;
    }

    private static String read(McpSyncClient client, String uri) {
        McpSchema.ReadResourceResult result = client.readResource(new McpSchema.ReadResourceRequest(uri));
        return ((McpSchema.TextResourceContents) result.contents().getFirst()).text();
    }

    /** Every page: the shared database holds the entries of other tests too. */
    private static List<String> uris(McpSyncClient client, String run) {
        List<String> uris = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListResourcesResult page = client.listResources(cursor);
            page.resources().forEach(r -> uris.add(r.uri()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return uris.stream().filter(u -> u.startsWith("shared-" + run)).toList();
    }

    private static List<String> templates(McpSyncClient client, String run) {
        List<String> templates = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListResourceTemplatesResult page = client.listResourceTemplates(cursor);
            page.resourceTemplates().forEach(t -> templates.add(t.uriTemplate()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return templates.stream().filter(u -> u.startsWith("shared-" + run)).toList();
    }

    private static List<String> promptNames(McpSyncClient client) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListPromptsResult page = client.listPrompts(cursor);
            page.prompts().forEach(p -> names.add(p.name()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return names;
    }

    @EngineTest
    void twoInstancesAreBothDiscoveredAndMcpReadsTheFirstRegisteredThatIsEnabled(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Instance a = start(admin, "A", run); Instance b = start(admin, "B", run)) {
            // Each instance's resource, template and fixture://readme are stored under it.
            for (Instance instance : List.of(a, b)) {
                entryOf(admin, "resources", "doc-" + run, instance);
                entryOf(admin, "resources", "items-" + run, instance);
                entryOf(admin, "resources", "readme", instance);
            }
            try (McpSyncClient all = client(gateway, "/mcp")) {
                assertThat(uris(all, run)).containsExactly(doc(run));
                assertThat(templates(all, run)).containsExactly(items(run));
                assertThat(read(all, doc(run))).isEqualTo("from A");
                assertThat(read(all, "shared-" + run + "://items/7")).isEqualTo("item from A");

                // A disabled upstream serves nothing: the next one registered answers.
                assertThat(admin.post("/v1/gateways/" + a.id() + "/disable", null).status()).isEqualTo(200);
                assertThat(uris(all, run)).containsExactly(doc(run));
                assertThat(read(all, doc(run))).isEqualTo("from B");
                assertThat(read(all, "shared-" + run + "://items/7")).isEqualTo("item from B");
                assertThat(admin.post("/v1/gateways/" + a.id() + "/enable", null).status()).isEqualTo(200);
                assertThat(read(all, doc(run))).isEqualTo("from A");
            }
        }
    }

    @EngineTest
    void aVirtualServerHoldsOneResourcePerUriAndTheOneItHoldsAnswers(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Instance a = start(admin, "A", run); Instance b = start(admin, "B", run)) {
            String server = admin.post("/v1/servers", Map.of("name", "shared-" + run)).id();
            String resources = "/v1/servers/" + server + "/resources";
            String docA = entryOf(admin, "resources", "doc-" + run, a);
            String docB = entryOf(admin, "resources", "doc-" + run, b);
            String itemsA = entryOf(admin, "resources", "items-" + run, a);
            String itemsB = entryOf(admin, "resources", "items-" + run, b);

            Reply both = admin.put(resources, Map.of("ids", List.of(docA, docB)), null);
            assertProblem(both, 409, "name-conflict");
            assertThat(both.json().get("detail").asString()).contains(doc(run));
            Reply bothTemplates = admin.put(resources, Map.of("ids", List.of(itemsA, itemsB)), null);
            assertProblem(bothTemplates, 409, "name-conflict");
            assertThat(bothTemplates.json().get("detail").asString()).contains(items(run));

            assertThat(admin.put(resources, Map.of("ids", List.of(docB, itemsA)), null).status()).isEqualTo(200);
            assertProblem(admin.post(resources + "/" + docA, null), 409, "name-conflict");
            // Adding all of A by one request reports A's document as a conflict and adds the rest.
            Reply bulk = admin.post("/v1/servers/" + server + "/members", Map.of("gateway", a.id()));
            assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
            assertThat(bulk.json().get("conflicts").toString()).contains(docA).contains(doc(run));
            assertThat(bulk.json().at("/added/resources").toString()).doesNotContain(docA);

            try (McpSyncClient client = client(gateway, "/servers/" + server + "/mcp")) {
                assertThat(uris(client, run)).containsExactly(doc(run));
                assertThat(read(client, doc(run))).as("the member, not the older upstream").isEqualTo("from B");
                assertThat(read(client, "shared-" + run + "://items/1")).isEqualTo("item from A");
            }
        }
    }

    @EngineTest
    void aVirtualServerPresentsPromptsUnderTheirDisplayNames(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Instance a = start(admin, "A", run); Instance b = start(admin, "B", run);
             McpSyncClient direct = McpClient.sync(HttpClientStreamableHttpTransport.builder(
                     a.server().url().replace("/mcp", "")).endpoint("/mcp").build())
                     .requestTimeout(Duration.ofSeconds(10)).build()) {
            direct.initialize();
            String greetA = entryOf(admin, "prompts", a.slug() + ".greet", a);
            String greetB = entryOf(admin, "prompts", b.slug() + ".greet", b);
            JsonNode stored = admin.get("/v1/prompts/" + greetA).json();
            assertThat(stored.get("name").asString()).isEqualTo(a.slug() + ".greet");
            assertThat(stored.get("displayName").asString()).isEqualTo("greet");
            String server = admin.post("/v1/servers", Map.of("name", "prompts-" + run)).id();
            String prompts = "/v1/servers/" + server + "/prompts";

            Reply both = admin.put(prompts, Map.of("ids", List.of(greetA, greetB)), null);
            assertProblem(both, 409, "name-conflict");
            assertThat(both.json().get("detail").asString()).contains("'greet'");
            assertThat(admin.put(prompts, Map.of("ids", List.of(greetA)), null).status()).isEqualTo(200);
            assertProblem(admin.post(prompts + "/" + greetB, null), 409, "name-conflict");

            try (McpSyncClient client = client(gateway, "/servers/" + server + "/mcp")) {
                assertThat(promptNames(client)).containsExactly("greet");
                McpSchema.GetPromptRequest ada = new McpSchema.GetPromptRequest("greet", Map.of("name", "Ada"));
                assertThat(client.getPrompt(ada)).isEqualTo(direct.getPrompt(ada));

                // Renamed, B's greet joins beside A's and is got under its new name, from B under its own.
                Reply renamed = admin.patch("/v1/prompts/" + greetB, Map.of("displayName", "greet-b"), "*");
                assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
                assertThat(admin.post(prompts + "/" + greetB, null).status()).isEqualTo(200);
                assertThat(promptNames(client)).containsExactly("greet", "greet-b");
                assertThat(client.getPrompt(new McpSchema.GetPromptRequest("greet-b", Map.of("name", "Bo")))
                        .messages()).isEqualTo(direct.getPrompt(new McpSchema.GetPromptRequest("greet",
                        Map.of("name", "Bo"))).messages());

                // completion/complete names a prompt as the server presents it: "greet-b" is asked of B (which
                // offers no completions, and says so), while a name the server does not present gets the empty answer.
                McpSchema.CompleteRequest.CompleteArgument arg =
                        new McpSchema.CompleteRequest.CompleteArgument("name", "A");
                assertThat(client.completeCompletion(new McpSchema.CompleteRequest(
                        new McpSchema.PromptReference(b.slug() + ".greet"), arg)).completion().values()).isEmpty();
                assertThatThrownBy(() -> client.completeCompletion(new McpSchema.CompleteRequest(
                        new McpSchema.PromptReference("greet-b"), arg))).isInstanceOf(McpError.class);

                // Renaming a member onto another member's display name is refused and changes nothing.
                assertProblem(admin.patch("/v1/prompts/" + greetA, Map.of("displayName", "greet-b"), "*"), 409,
                        "name-conflict");
                assertThat(admin.get("/v1/prompts/" + greetA).json().get("displayName").asString())
                        .isEqualTo("greet");
                assertThat(promptNames(client)).containsExactly("greet", "greet-b");
            }
            // The whole catalog keeps the qualified names.
            try (McpSyncClient all = client(gateway, "/mcp")) {
                assertThat(promptNames(all)).contains(a.slug() + ".greet", b.slug() + ".greet").doesNotContain("greet", "greet-b");
                assertThat(all.getPrompt(new McpSchema.GetPromptRequest(b.slug() + ".greet", Map.of("name", "Cy")))
                        .messages()).isEqualTo(direct.getPrompt(new McpSchema.GetPromptRequest("greet",
                        Map.of("name", "Cy"))).messages());
            }
        }
    }
}
