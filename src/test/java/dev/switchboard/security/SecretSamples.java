package dev.switchboard.security;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.persistence.Database;
import java.util.Set;
import java.util.UUID;

/** Gateways and tools whose secrets are stored encrypted, as the registry API will store them. */
final class SecretSamples {

    private final UpstreamGatewayRepository gateways;
    private final ToolRepository tools;

    SecretSamples(Database db) {
        this.gateways = new UpstreamGatewayRepository(db.transactions());
        this.tools = new ToolRepository(db.transactions());
    }

    /** A plaintext no other row holds, recognisable in a dump. */
    static String plaintext(String what) {
        return "plain-" + what + "-" + UUID.randomUUID();
    }

    UpstreamGateway gateway(String storedSecret) {
        String name = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        return gateways.create(new UpstreamGateway(null, name, name, "an upstream", Transport.STREAMABLE_HTTP,
                "https://mcp.example/" + name, null, null, AuthType.BEARER, storedSecret, null, "2025-11-25", true,
                true, null, Set.of(), null, null, null, 0));
    }

    /**
     * A stdio upstream stored as given: {@code command} is the stored document (names only, or with clear values
     * as an older version wrote it) and {@code sealedEnvironment} the stored ciphertext of its values, or null.
     */
    UpstreamGateway stdioGateway(String command, String sealedEnvironment) {
        String name = "stdio-" + UUID.randomUUID().toString().substring(0, 8);
        return gateways.create(new UpstreamGateway(null, name, name, "a stdio upstream", Transport.STDIO, null,
                command, sealedEnvironment, AuthType.NONE, null, null, null, true, true, null, Set.of(), null, null,
                null,
                0));
    }

    UpstreamGateway storedGateway(UUID id) {
        return gateways.get(id);
    }

    Tool restTool(String storedSecret) {
        String name = "tool-" + UUID.randomUUID().toString().substring(0, 8);
        return tools.create(new Tool(null, null, name, null, name, IntegrationType.REST, "calls a REST API",
                "{\"type\":\"object\"}", null, null, "{\"method\":\"GET\",\"url\":\"https://api.example/\"}",
                storedSecret == null ? AuthType.NONE : AuthType.HEADER, storedSecret, true, Set.of(), null, null,
                        null, 0));
    }

    Tool federatedTool(UpstreamGateway gateway, String storedSecret) {
        String name = gateway.slug() + "__t" + UUID.randomUUID().toString().substring(0, 6);
        return tools.create(new Tool(null, gateway.id(), name, "search", name, IntegrationType.MCP, "an upstream tool",
                "{\"type\":\"object\"}", null, null, null, AuthType.BEARER, storedSecret, true, Set.of(), null, null,
                null,
                0));
    }

    String storedSecretOfGateway(UUID id) {
        return gateways.get(id).authSecret();
    }

    String storedSecretOfTool(UUID id) {
        return tools.get(id).authSecret();
    }
}
