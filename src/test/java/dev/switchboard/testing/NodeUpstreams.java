package dev.switchboard.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Third-party MCP servers from npm, pinned in src/test/node/package.json, as real upstreams, and a client built with
 * the TypeScript SDK pinned there. They are installed
 * with {@code npm ci} on first use. Without Node the tests that need them are skipped, unless
 * SWITCHBOARD_TEST_NODE_REQUIRED is true (as .ci/run sets it where Node is present): then it is a failure.
 */
public final class NodeUpstreams {

    private static final Path PROJECT = Path.of("src/test/node").toAbsolutePath();
    private static final Path EVERYTHING = PROJECT.resolve(
            "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    private static final Path SUPERGATEWAY = PROJECT.resolve("node_modules/supergateway/dist/index.js");
    private static final Path SDK = PROJECT.resolve("node_modules/@modelcontextprotocol/sdk/package.json");
    private static final Path SDK_CLIENT = PROJECT.resolve("sdk-client.mjs");
    private static boolean installed;

    private NodeUpstreams() {
    }

    /** The command line that runs server-everything over stdio: what a stdio upstream is registered with. */
    public static List<String> everythingStdio() {
        install();
        return List.of(node(), EVERYTHING.toString(), "stdio");
    }

    /**
     * The command line that runs supergateway in front of server-everything over stdio, as a stateful Streamable
     * HTTP server at http://127.0.0.1:{port}/mcp (one server-everything per client session, as supergateway runs
     * stdio servers) and without per-message logging, its fastest setting.
     */
    public static List<String> supergatewayOverEverything(int port) {
        install();
        return List.of(node(), SUPERGATEWAY.toString(), "--stdio", String.join(" ", everythingStdio()),
                "--outputTransport", "streamableHttp", "--stateful", "--port", Integer.toString(port),
                "--logLevel", "none");
    }

    /**
     * The command line that runs sdk-client.mjs, a client built with the pinned TypeScript SDK; its one argument,
     * a JSON plan, is added by the caller (see the script for what the plan holds and what it prints).
     */
    public static List<String> sdkClient() {
        install();
        return List.of(node(), SDK_CLIENT.toString());
    }

    /** Runs sdk-client.mjs with {@code plan} and returns what it printed; fails if it fails or overruns. */
    public static JsonNode runSdkClient(Map<String, Object> plan) {
        JsonMapper json = JsonMapper.builder().build();
        List<String> command = new ArrayList<>(sdkClient());
        command.add(json.writeValueAsString(plan));
        try {
            Path out = Files.createTempFile("sdk-client", ".json");
            Path err = Files.createTempFile("sdk-client", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("sdk-client.mjs did not finish within 90 s: " + plan);
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("sdk-client.mjs " + plan + " exited " + process.exitValue() + "\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return json.readTree(Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sdk-client.mjs ran", e);
        }
    }

    /**
     * The command line that runs server-everything over Streamable HTTP (it answers each POST with an SSE stream);
     * it listens on the port in its PORT environment variable, and its MCP endpoint is /mcp.
     */
    public static List<String> everythingStreamableHttp() {
        install();
        return List.of(node(), EVERYTHING.toString(), "streamableHttp");
    }

    /** server-everything over Streamable HTTP on a free loopback port; its MCP endpoint is {@code url()}. */
    public static Server everythingHttp() {
        install();
        int port = LoopbackPorts.free();
        ProcessBuilder builder = new ProcessBuilder(everythingStreamableHttp())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        try {
            Process process = builder.start();
            try {
                // Stops early, failing, if the process exits before it listens.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> LoopbackPorts.listening(port) || !process.isAlive());
            } catch (ConditionTimeoutException timedOut) {
                // reported below, as an exit is
            }
            if (!LoopbackPorts.listening(port)) {
                process.destroyForcibly();
                throw new IllegalStateException("server-everything did not start listening on port " + port);
            }
            return new Server(process, "http://127.0.0.1:" + port + "/mcp");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start server-everything", e);
        }
    }

    /** A running HTTP upstream; closing stops the process this fixture started. */
    public record Server(Process process, String url) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        boolean required = "true".equalsIgnoreCase(System.getenv("SWITCHBOARD_TEST_NODE_REQUIRED"));
        boolean nodeFound = onPath("node") && onPath("npm");
        if (!nodeFound && required) {
            throw new IllegalStateException("SWITCHBOARD_TEST_NODE_REQUIRED is true but node and npm are not on the"
                    + " PATH: the npm upstreams cannot be tested");
        }
        assumeTrue(nodeFound, "node and npm are not installed: the tests with npm upstreams are skipped");
        if (!Files.exists(EVERYTHING) || !Files.exists(SUPERGATEWAY) || !Files.exists(SDK)) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        }
        installed = true;
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(PROJECT.toFile()).inheritIO().start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed in " + PROJECT);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String node() {
        return "node";
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

}
