package dev.switchboard.catalog;

import dev.switchboard.catalog.Prompt.PromptArgument;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Catalog entries for tests, each with a name no other test uses. */
final class CatalogSamples {

    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}";

    private CatalogSamples() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static UpstreamGateway gateway(String name, Set<String> tags) {
        return new UpstreamGateway(null, name, name, "an upstream", Transport.STREAMABLE_HTTP,
                "https://mcp.example/" + name, null, null, AuthType.BEARER, "ciphertext", "{\"timeoutMs\":5000}",
                "2025-11-25",
                true, true, null, tags, null, null, null, 0);
    }

    static Tool restTool(String name, Set<String> tags) {
        return new Tool(null, null, name, null, name, IntegrationType.REST, "calls a REST API", SCHEMA, null, null,
                "{\"method\":\"GET\",\"url\":\"https://api.example/{q}\"}", AuthType.NONE, null, true, tags, null, null,
                null, 0);
    }

    static Resource resource(String name, Set<String> tags) {
        return new Resource(null, null, "file:///docs/" + name, false, name, "Title " + name, "a document",
        "text/plain",
                12L, "hello " + name, null, null, true, tags, null, null, null, 0);
    }

    static Prompt prompt(String name, Set<String> tags) {
        return new Prompt(null, null, name, null, null, "Prompt " + name, "says hello", "Hello {{who}}",
                List.of(new PromptArgument("who", "who to greet", true), new PromptArgument("tone", null, false)),
                true, tags, null, null, null, 0);
    }

    static VirtualServer server(String name, Set<String> tags) {
        return new VirtualServer(null, name, "a virtual server", "Use " + name + " for greetings.", "https://icons.example/" + name + ".png", true, tags,
                null, null, null, null, null, null, 0);
    }
}
