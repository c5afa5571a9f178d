package dev.switchboard.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real MCP upstreams for tests, built with the official SDK and serving {@link UpstreamTools}: over Streamable HTTP
 * ({@link #streamable}) or legacy HTTP+SSE ({@link #sse}) in an embedded Tomcat on a random loopback port, each with
 * an optional servlet {@link Filter} that sees every request (to count or inspect them, see {@link RecordingFilter});
 * and over stdio ({@link #stdioCommand}) as a subprocess running {@link StdioUpstream}.
 */
public final class UpstreamServers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UpstreamServers() {
    }

    /** A running HTTP upstream; {@link #url()} is what to register. */
    public static final class Http implements AutoCloseable {
        private final Tomcat tomcat;
        private final McpSyncServer server;
        private final String url;

        private Http(Tomcat tomcat, McpSyncServer server, String url) {
            this.tomcat = tomcat;
            this.server = server;
            this.url = url;
        }

        /** The MCP endpoint (Streamable HTTP) or the SSE endpoint (legacy), e.g. http://127.0.0.1:1234/mcp. */
        public String url() {
            return url;
        }

        public int port() {
            return tomcat.getConnector().getLocalPort();
        }

        public McpSyncServer server() {
            return server;
        }

        @Override
        public void close() {
            server.closeGracefully();
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An SDK server over Streamable HTTP at /mcp; {@code filter} (may be null) sees every request first. */
    public static Http streamable(Filter filter) {
        return streamable(filter, 0);
    }

    /** The same on a given port (0 for any), e.g. to replace a server that "restarted" and lost its sessions. */
    public static Http streamable(Filter filter, int port) {
        return streamable(filter, port, UpstreamTools.CAPABILITIES);
    }

    /** The same declaring {@code capabilities}, e.g. resource subscriptions, which the SDK then honours. */
    public static Http streamable(Filter filter, int port, McpSchema.ServerCapabilities capabilities) {
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").build();
        McpSyncServer server = McpServer.sync(provider).serverInfo("fixture-streamable", "1.0.0")
                .capabilities(capabilities).build();
        UpstreamTools.install(server);
        Tomcat tomcat = tomcat(provider, filter, port);
        return new Http(tomcat, server, "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/mcp");
    }

    /** An SDK server over legacy HTTP+SSE: the stream at /sse, messages POSTed to /message. */
    public static Http sse(Filter filter) {
        HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).sseEndpoint("/sse").messageEndpoint("/message").build();
        McpSyncServer server = McpServer.sync(provider).serverInfo("fixture-sse", "1.0.0")
                .capabilities(UpstreamTools.CAPABILITIES).build();
        UpstreamTools.install(server);
        Tomcat tomcat = tomcat(provider, filter, 0);
        return new Http(tomcat, server, "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/sse");
    }

    /**
     * The stdio command document to register (UpstreamGateway.command()): this JVM's java running
     * {@link StdioUpstream} on the test classpath, with {@code env} added to its environment.
     */
    public static String stdioCommand(Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return JSON.writeValueAsString(Map.of("command", java, "args", List.of("-cp",
                System.getProperty("java.class.path"), StdioUpstream.class.getName()), "env", env));
    }

    private static Tomcat tomcat(HttpServlet servlet, Filter filter, int port) {
        try {
            File base = Files.createTempDirectory("upstream-tomcat").toFile();
            base.deleteOnExit();
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.getAbsolutePath());
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            Context context = tomcat.addContext("", base.getAbsolutePath());
            Tomcat.addServlet(context, "mcp", servlet).setAsyncSupported(true);
            context.addServletMappingDecoded("/*", "mcp");
            if (filter != null) {
                FilterDef def = new FilterDef();
                def.setFilterName("hook");
                def.setFilter(filter);
                def.setAsyncSupported("true");
                context.addFilterDef(def);
                FilterMap map = new FilterMap();
                map.setFilterName("hook");
                map.addURLPattern("/*");
                context.addFilterMap(map);
            }
            tomcat.start();
            return tomcat;
        } catch (Exception e) {
            throw new IllegalStateException("The test upstream did not start", e);
        }
    }
}
