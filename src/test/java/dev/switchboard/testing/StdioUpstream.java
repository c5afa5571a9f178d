package dev.switchboard.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;

/** A stdio MCP upstream serving {@link UpstreamTools}: run as a subprocess by tests (see UpstreamServers). */
public final class StdioUpstream {

    private StdioUpstream() {
    }

    public static void main(String[] args) throws InterruptedException {
        // stdout carries the protocol only: anything else printed (logging) goes to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        System.setOut(System.err);
        StdioServerTransportProvider provider = new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                System.in, protocol);
        McpSyncServer server = McpServer.sync(provider).serverInfo("fixture-stdio", "1.0.0")
                .capabilities(UpstreamTools.CAPABILITIES).build();
        UpstreamTools.install(server);
        System.err.println("fixture-stdio ready");
        Thread.currentThread().join();
    }
}
