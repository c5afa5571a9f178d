package dev.switchboard.deploy;

import static org.awaitility.Awaitility.await;

import dev.switchboard.Switchboard;
import dev.switchboard.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The gateway in its own JVM, started by its real entry point with exactly the environment a container would
 * get, plus SERVER_PORT set to a free port (the one thing a port mapping changes). The classpath is the test
 * run's, which holds the same classes and libraries as the jar.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    private final int port;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayProcess(Process process, Path log, int port, Map<String, String> environment) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.environment = environment;
    }

    /** A command that ran to its end: its exit status and everything it printed. */
    record Finished(int status, String output) {
    }

    /** Runs the jar's entry point with {@code args} (a `db` command, say) in exactly this environment. */
    static Finished run(Map<String, String> containerEnvironment, Path workingDirectory, List<String> args)
            throws Exception {
        List<String> commandLine = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Switchboard.class.getName()));
        commandLine.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(commandLine).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(containerEnvironment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(STARTUP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end; it printed:\n" + output);
        }
        return new Finished(process.exitValue(), output);
    }

    /** Starts the gateway and waits until it answers /health; fails with its log if it exits or never answers. */
    static GatewayProcess start(Map<String, String> containerEnvironment, Path workingDirectory) throws Exception {
        int port = LoopbackPorts.free();
        Map<String, String> environment = new LinkedHashMap<>(containerEnvironment);
        environment.put("SERVER_PORT", Integer.toString(port));
        Path log = Files.createTempFile("switchboard-gateway-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Switchboard.class.getName()))
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Nothing of the test JVM's own environment leaks in: the container would not have it either.
        builder.environment().clear();
        builder.environment().putAll(environment);
        GatewayProcess gateway = new GatewayProcess(builder.start(), log, port, Map.copyOf(environment));
        try {
            gateway.awaitHealth();
        } catch (Exception | AssertionError e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void awaitHealth() {
        try {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).until(this::healthy);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the gateway did not answer /health within " + STARTUP + "; its log:\n" + log());
        }
    }

    private boolean healthy() throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("the gateway exited with " + process.exitValue() + "; its log:\n" + log());
        }
        try {
            return get("/health").statusCode() == 200;
        } catch (IOException notYetListening) {
            return false; // the web server starts after migrations; keep polling
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with an Authorization header. */
    HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    int port() {
        return port;
    }

    /** The environment the process runs with: the container's plus SERVER_PORT. */
    Map<String, String> environment() {
        return environment;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a container health-check command the way Docker does, with /bin/sh and the container's environment. */
    static int runShell(String command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process shell = builder.start();
        shell.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!shell.waitFor(30, TimeUnit.SECONDS)) {
            shell.destroyForcibly();
            throw new AssertionError("the health check did not finish in 30 s: " + command);
        }
        return shell.exitValue();
    }

    /** Ends the process as SIGKILL does, with no chance to clean up, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
