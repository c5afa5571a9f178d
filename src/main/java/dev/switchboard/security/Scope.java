package dev.switchboard.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a credential may do. JWTs carry scopes in their {@code scope} claim, API tokens were issued with
 * some, and the administrator (HTTP Basic) holds them all.
 */
public enum Scope {
    /** Read the catalog: list and get gateways, tools, resources, prompts, servers and tags. */
    CATALOG_READ("catalog:read", "Read the catalog: gateways, tools, resources, prompts and virtual servers."),
    /** Create, change, enable, disable and delete catalog entries. */
    CATALOG_WRITE("catalog:write", "Change the catalog: create, change, enable, disable and delete its entries."),
    /** Issue, list and revoke API tokens. */
    TOKENS("tokens:manage", "Issue, list and revoke API tokens."),
    /** Export and import the whole catalog, secrets included, read the audit trail and manage users. */
    ADMIN("admin", "Export and import the whole catalog, stored secrets included, read the audit trail and manage "
            + "users."),
    /** Scrape Prometheus metrics. */
    METRICS("metrics:read", "Read the gateway's metrics."),
    /** Speak MCP to /mcp and /servers/{id}/mcp: list and call tools, read resources, get prompts. */
    MCP("mcp:use", "Use the tools, resources and prompts of the endpoints below, as you.");

    private final String value;
    private final String description;

    Scope(String value, String description) {
        this.value = value;
        this.description = description;
    }

    /** What holding the scope lets a client do, in plain words: the consent page shows it. */
    public String description() {
        return description;
    }

    /** The scope as credentials spell it: "catalog:read". */
    public String value() {
        return value;
    }

    /** The Spring Security authority that holding this scope grants: "SCOPE_catalog:read". */
    public String authority() {
        return "SCOPE_" + value;
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
