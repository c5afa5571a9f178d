package dev.switchboard.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A stdio MCP upstream with one tool, {@code env}, that answers with the value of the environment variable
 * {@code {name}} in its own process (or "unset"): what a stdio upstream was really started with.
 */
public final class EnvStdioUpstream {

    private EnvStdioUpstream() {
    }

    /** The command and arguments that start it, as the API takes them. */
    public static Map<String, Object> command(Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Map.of("command", java, "args", List.of("-cp", System.getProperty("java.class.path"),
                EnvStdioUpstream.class.getName()), "env", env);
    }

    public static void main(String[] args) throws InterruptedException {
        // stdout carries the protocol only: anything else printed (logging) goes to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        System.setOut(System.err);
        StdioServerTransportProvider provider = new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                System.in, protocol);
        McpSyncServer server = McpServer.sync(provider).serverInfo("fixture-env", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build()).build();
        server.addTool(SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name("env")
                .description("Answers with the value of the environment variable {name}, or 'unset'")
                .inputSchema(Map.of("type", "object")).build()).callHandler((x, r) -> {
                    String value = System.getenv(String.valueOf(r.arguments().get("name")));
                    return CallToolResult.builder().addTextContent(value == null ? "unset" : value).build();
                }).build());
        Thread.currentThread().join();
    }
}
