package dev.switchboard.mcp;

import java.time.Instant;

/**
 * A session opened by {@code initialize}: the revision it negotiated, who opened it and on which endpoint. It
 * lives in this process's memory only, so a restart ends every session and clients initialize again.
 */
final class McpSession implements McpRequestContext {

    private final String id;
    private final String principal;
    private final String endpoint;
    private final String protocolVersion;
    private volatile String logLevel = "info";
    private volatile Instant lastUsed;

    McpSession(String id, String principal, String endpoint, String protocolVersion, Instant now) {
        this.id = id;
        this.principal = principal;
        this.endpoint = endpoint;
        this.protocolVersion = protocolVersion;
        this.lastUsed = now;
    }

    String id() {
        return id;
    }

    String principal() {
        return principal;
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    @Override
    public String logLevel() {
        return logLevel;
    }

    void logLevel(String level) {
        this.logLevel = level;
    }

    Instant lastUsed() {
        return lastUsed;
    }

    void touch(Instant now) {
        this.lastUsed = now;
    }
}
