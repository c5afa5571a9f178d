package dev.switchboard.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a credential may do. JWTs carry scopes in their {@code scope} claim, API tokens were issued with
 * some, and the administrator (HTTP Basic) holds them all.
 */
public enum Scope {
    /** Read the catalog: list and get gateways, tools, resources, prompts, servers and tags. */
    CATALOG_READ("catalog:read"),
    /** Create, change, enable, disable and delete catalog entries. */
    CATALOG_WRITE("catalog:write"),
    /** Issue, list and revoke API tokens. */
    TOKENS("tokens:manage"),
    /** Export and import the whole catalog, secrets included. */
    ADMIN("admin"),
    /** Scrape Prometheus metrics. */
    METRICS("metrics:read"),
    /** Speak MCP to /mcp and /servers/{id}/mcp: list and call tools, read resources, get prompts. */
    MCP("mcp:use");

    private final String value;

    Scope(String value) {
        this.value = value;
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
