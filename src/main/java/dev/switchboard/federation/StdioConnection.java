package dev.switchboard.federation;

import dev.switchboard.catalog.Transport;
import dev.switchboard.federation.UpstreamException.Kind;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upstream run as a child process, speaking newline-delimited JSON-RPC on its stdin and stdout; its stderr is
 * logged line by line. The process is supervised: when it exits, requests in flight fail and it is started again
 * after a backoff that doubles from one second up to the configured cap, and starts over once a process has
 * stayed up as long as the cap.
 */
final class StdioConnection extends RpcConnection {

    private static final Logger log = LoggerFactory.getLogger(StdioConnection.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final StdioCommand command;
    private final Duration restartMax;
    private final MessageCap cap;
    private final ReentrantLock writing = new ReentrantLock();
    private volatile Process process;
    private volatile BufferedWriter stdin;
    private volatile boolean closed;
    /** Whether the current process has done its handshake and takes requests. */
    private volatile boolean ready;
    private volatile Instant startedAt;
    /** Why the gateway stopped the current process itself, for the requests its exit fails; null otherwise. */
    private volatile String stoppedBecause;
    private Duration backoff = FIRST_BACKOFF;

    private StdioConnection(String name, StdioCommand command, Duration requestTimeout, Duration restartMax,
                            MessageCap cap) {
        super(name, requestTimeout);
        this.command = command;
        this.restartMax = restartMax;
        this.cap = cap;
    }

    /**
     * Starts the process and does the handshake; from then on the process is supervised until {@link #close()}.
     *
     * @throws UpstreamException when the first start or handshake fails (nothing is left running)
     */
    static StdioConnection open(String name, StdioCommand command, Duration requestTimeout, Duration restartMax,
                                MessageCap cap, long by) {
        StdioConnection connection = new StdioConnection(name, command, requestTimeout, restartMax, cap);
        connection.openBy(by);
        try {
            connection.start();
            connection.opened();
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void start() {
        ProcessBuilder builder = new ProcessBuilder(command.commandLine());
        builder.environment().putAll(command.env());
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + ": the command "
                    + command.commandLine().getFirst() + " could not be started: " + UpstreamFailure.reason(e, null), e);
        }
        process = started;
        stoppedBecause = null;
        startedAt = Instant.now();
        stdin = new BufferedWriter(new OutputStreamWriter(started.getOutputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("upstream-stdout").start(() -> readStdout(started.getInputStream()));
        Thread.ofVirtual().name("upstream-stderr").start(() -> logStderr(started.getErrorStream()));
        started.onExit().thenRun(() -> exited(started));
        log.info("Upstream {}: started process {}", name, started.pid());
        initialize();
        ready = true;
    }

    private void readStdout(InputStream out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            String line;
            while ((line = boundedLine(reader)) != null) {
                if (!line.isBlank()) {
                    dispatch(line, null);
                }
            }
        } catch (IOException e) {
            log.debug("Upstream {}: stdout ended: {}", name, e.getMessage());
        } catch (UpstreamException e) {
            // A line past the cap: the stream can no longer be followed message by message, so the process goes,
            // its requests fail with the cap's words and supervision starts it again.
            log.warn("{}; stopping the process", e.getMessage());
            Process running = process;
            failAll(e);
            if (running != null) {
                running.destroyForcibly();
            }
        }
    }

    /** One line of stdout without its end, null at the end; a line longer than the cap fails. */
    private String boundedLine(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() >= cap.maxBytes()) {
                throw cap.exceeded(name, "a line");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private void logStderr(InputStream err) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.info("[{}] {}", name, line);
            }
        } catch (IOException e) {
            log.debug("Upstream {}: stderr ended: {}", name, e.getMessage());
        }
    }

    private void exited(Process ended) {
        if (ended != process) {
            return;
        }
        ready = false;
        String because = stoppedBecause;
        failAll(because != null ? new UpstreamException(Kind.TIMEOUT, "Upstream " + name + ": " + because)
                : new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + ": the process exited (code "
                + ended.exitValue() + ")"));
        if (closed) {
            return;
        }
        Duration wait = nextBackoff();
        log.warn("Upstream {}: process {} exited with code {}; restarting in {}", name, ended.pid(),
                ended.exitValue(), wait);
        scheduleRestart(wait);
    }

    private synchronized Duration nextBackoff() {
        Instant began = startedAt;
        if (began != null && Duration.between(began, Instant.now()).compareTo(restartMax) >= 0) {
            backoff = FIRST_BACKOFF;
        }
        Duration wait = backoff.compareTo(restartMax) > 0 ? restartMax : backoff;
        backoff = backoff.multipliedBy(2);
        return wait;
    }

    private void scheduleRestart(Duration wait) {
        Thread.ofVirtual().name("upstream-restart").start(() -> {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            Process before = process;
            try {
                start();
            } catch (RuntimeException e) {
                log.warn("Upstream {}: restart failed: {}", name, e.getMessage());
                Process now = process;
                if (now == before) {
                    // Never launched, so no exit will schedule the next attempt.
                    scheduleRestart(nextBackoff());
                } else {
                    // Launched but broken: its exit schedules the next attempt.
                    now.destroyForcibly();
                }
            }
        });
    }

    @Override
    public JsonNode request(String method, ObjectNode params, UpstreamExchange exchange) {
        if (closed) {
            throw new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name + " is closed");
        }
        if (!ready) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " is restarting");
        }
        return call(method, params, exchange);
    }

    @Override
    Transport transport() {
        return Transport.STDIO;
    }

    @Override
    void send(ObjectNode request, Pending pending) {
        try {
            deliver(request);
        } catch (UpstreamException e) {
            pending.fail(e);
        }
    }

    /**
     * Writes one message to the process's stdin. The write itself runs on a thread of its own and the caller waits
     * for it at most the request timeout: a process that stops reading its input fills the pipe (64 KiB on Linux)
     * and would block a writer forever. One that does not take a message within the timeout is stopped, which
     * ends the blocked write; supervision starts it again.
     */
    @Override
    void deliver(ObjectNode message) {
        BufferedWriter out = stdin;
        Process running = process;
        Duration limit = waitLimit();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            if (!writing.tryLock(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UpstreamException(Kind.TIMEOUT, "Upstream " + name + ": timed out after "
                        + UpstreamFailure.seconds(limit) + " waiting to write to the process's input");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Writing to upstream " + name + " was interrupted");
        }
        try {
            FutureTask<Void> write = new FutureTask<>(() -> {
                // One write of the whole line: a write left behind by a caller that gave up cannot interleave.
                out.write(message + "\n");
                out.flush();
                return null;
            });
            Thread.ofVirtual().name("upstream-stdin").start(write);
            try {
                write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                String because = "the process does not read its input: timed out after "
                        + UpstreamFailure.seconds(limit) + " writing to it";
                log.warn("Upstream {}: {}; stopping it", name, because);
                stoppedBecause = because;
                running.destroyForcibly();
                throw new UpstreamException(Kind.TIMEOUT, "Upstream " + name + ": " + because);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException(Kind.CANCELLED, "Writing to upstream " + name + " was interrupted");
            } catch (ExecutionException e) {
                throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + ": the process does not read its"
                        + " input", e.getCause());
            }
        } finally {
            writing.unlock();
        }
    }

    /** The running process, for supervision tests. */
    long pid() {
        Process running = process;
        return running == null ? -1 : running.pid();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        ready = false;
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly();
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        failAll(new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name + " was closed"));
        log.info("Upstream {}: process {} stopped", name, running.pid());
    }
}
