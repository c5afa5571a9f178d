package dev.switchboard.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
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
        Tomcat tomcat = tomcat(provider, oneWriterAtATime(filter), 0);
        return new Http(tomcat, server, "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/sse");
    }

    /**
     * {@code filter} (may be null), with the SSE stream's writer made safe for threads. The SDK's SSE server writes
     * each answer to the session's stream from the thread of the POST it answers, and Tomcat's writer takes no lock:
     * two at once corrupt its buffer ("newPosition > limit"), the SDK drops the session, and the client's next POST
     * is answered 404. The gateway sends a session's lists at once during discovery, as a client may. A
     * {@link PrintWriter} over Tomcat's takes a lock for each write and flush; every message is an event of the same
     * type, so lines of two events that interleave between those calls still read as the same messages.
     */
    private static Filter oneWriterAtATime(Filter filter) {
        return (request, response, chain) -> {
            ServletResponse passed = response;
            if (request instanceof HttpServletRequest http && http.getMethod().equals("GET")
                    && response instanceof HttpServletResponse stream) {
                passed = new HttpServletResponseWrapper(stream) {
                    private PrintWriter locked;

                    @Override
                    public synchronized PrintWriter getWriter() throws IOException {
                        if (locked == null) {
                            locked = new PrintWriter(super.getWriter());
                        }
                        return locked;
                    }
                };
            }
            pass(filter, request, passed, chain);
        };
    }

    private static void pass(Filter filter, ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (filter != null) {
            filter.doFilter(request, response, chain);
        } else {
            chain.doFilter(request, response);
        }
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
