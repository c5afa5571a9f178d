package dev.switchboard.benchmark;

import dev.switchboard.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx as a plain reverse proxy in front of one loopback upstream: the cost of a minimal extra hop, beside which
 * Switchboard's cost is reported. It runs as a child of the suite (in the foreground, {@code daemon off}) with its
 * own configuration, logs, pid file and temporary files in a directory of the run, on a free loopback port; the
 * system's nginx service is never used. Closing it stops the master process by its handle, which stops its workers.
 */
final class NginxProxy implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("nginx/([0-9][^\\s]*)");
    /** Where Debian's packages put the binary, for a PATH without /usr/sbin. */
    private static final List<Path> USUAL_PLACES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/local/nginx/sbin/nginx"));

    private final ChildProcess process;
    private final int port;

    private NginxProxy(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The nginx binary: on the PATH, or where packages put it; empty when nginx is not installed. */
    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "nginx");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return USUAL_PLACES.stream().filter(Files::isExecutable).findFirst();
    }

    /** What {@code nginx -v} reports, e.g. "1.22.1"; "unknown" when it cannot be read. */
    static String version(Path binary) {
        try {
            Process version = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            // One short line: reading it all before waiting cannot block on a full pipe.
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!version.waitFor(10, TimeUnit.SECONDS)) {
                version.destroyForcibly();
            }
            Matcher matcher = VERSION.matcher(text);
            return matcher.find() ? matcher.group(1) : MachineFacts.UNKNOWN;
        } catch (IOException e) {
            return MachineFacts.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MachineFacts.UNKNOWN;
        }
    }

    /**
     * Starts nginx proxying http://127.0.0.1:{listenPort}/ to http://127.0.0.1:{upstreamPort}/ and waits until it
     * listens. The configuration is what a reverse proxy in front of an MCP server needs and nothing more: HTTP/1.1
     * with kept-alive upstream connections, and no buffering, so an SSE answer passes through as it is written.
     */
    static NginxProxy start(Path binary, int upstreamPort, Path workDirectory) {
        // nginx reads relative paths against its prefix (-p), so every path it is given is absolute.
        Path directory = workDirectory.toAbsolutePath();
        int port = LoopbackPorts.free();
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("nginx.conf");
            Files.writeString(config, configuration(directory, port, upstreamPort));
            ChildProcess process = ChildProcess.start(List.of(binary.toString(), "-p", directory.toString(), "-c",
                    config.toString(), "-e", directory.resolve("error.log").toString()), Map.of(),
                    directory.resolve("nginx.out"));
            NginxProxy proxy = new NginxProxy(process, port);
            try {
                CallScenarios.awaitListening(process, port);
            } catch (RuntimeException e) {
                proxy.close();
                throw new IllegalStateException(e.getMessage() + "\nerror.log:\n"
                        + read(directory.resolve("error.log")), e);
            }
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write nginx's configuration in " + directory, e);
        }
    }

    static String configuration(Path directory, int port, int upstreamPort) {
        String dir = directory.toAbsolutePath().toString();
        // worker_processes auto is what Debian's own nginx.conf sets: one worker per core.
        return """
                daemon off;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events {
                    worker_connections 1024;
                }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream mcp {
                        server 127.0.0.1:%3$d;
                        keepalive 64;
                    }
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://mcp;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_buffering off;
                            proxy_request_buffering off;
                            proxy_read_timeout 60s;
                        }
                    }
                }
                """.formatted(dir, port, upstreamPort);
    }

    /** The MCP endpoint through the proxy. */
    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        process.close();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
