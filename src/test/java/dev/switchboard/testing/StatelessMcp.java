package dev.switchboard.testing;

import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a client of the stateless revision 2026-07-28 puts on each request: its headers and its {@code _meta}. */
public final class StatelessMcp {

    public static final String REVISION = "2026-07-28";

    private StatelessMcp() {
    }

    /** The headers a conforming client sends: the revision, the method and, for named methods, the name. */
    public static Map<String, String> headers(String method, String name) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json, text/event-stream");
        headers.put("MCP-Protocol-Version", REVISION);
        headers.put("Mcp-Method", method);
        if (name != null) {
            headers.put("Mcp-Name", name);
        }
        return headers;
    }

    /** A whole request: {@code params} with a {@code _meta} that names the revision and these capabilities. */
    public static Map<String, Object> request(String method, Map<String, Object> params,
                                              Map<String, Object> capabilities) {
        Map<String, Object> withMeta = new LinkedHashMap<>(params);
        withMeta.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", REVISION,
                "io.modelcontextprotocol/clientCapabilities", capabilities,
                "io.modelcontextprotocol/clientInfo", Map.of("name", "test", "version", "1")));
        return Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", withMeta);
    }

    /** The official Java SDK's client for this revision, at {@code endpoint}, sending {@code authorization}. */
    public static McpSyncClient javaSdkClient(String endpoint, String authorization) {
        HttpClientMcpTransport transport = HttpClientMcpTransport.builder(endpoint)
                .requestCustomizer(McpHttpRequestCustomizer.fromSync((request, headers, context) ->
                        headers.set("Authorization", authorization))).build();
        return McpClient.sync(transport).build();
    }
}
