package dev.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback TCP forwarder between a client under test and a real server, to stage network outages: put its
 * {@link #port()} where the client would connect to the server, then
 * <ul>
 *   <li>{@link #cut()}: every live connection is closed and new ones are closed as soon as they are accepted, as when
 *       the server goes away;</li>
 *   <li>{@link #blackhole()}: bytes stop flowing both ways and new connections are accepted but never answered, as
 *       when a network path drops packets; nothing is closed;</li>
 *   <li>{@link #cutWhenClientSends(String)}: the next chunk a client sends that contains the marker (say, a
 *       COMMIT) still reaches the server, and then the proxy is cut before any answer gets back: the server did
 *       the work, the client cannot know;</li>
 *   <li>{@link #restore()}: new connections are forwarded again; those held by a blackhole are closed.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode { OPEN, CUT, BLACKHOLE }

    private final String host;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> trigger = new AtomicReference<>();
    private final AtomicInteger trips = new AtomicInteger();
    private volatile Mode mode = Mode.OPEN;

    private TcpProxy(String host, int targetPort) throws IOException {
        this.host = host;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-" + listener.getLocalPort()).start(this::accept);
    }

    /** A proxy on a free loopback port that forwards to {@code host:port}; the caller closes it. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("the proxy could not listen", e);
        }
    }

    private static final Pattern SERVER_IN_URL = Pattern.compile("@([^@/:?]+):(\\d+)/");

    /**
     * A proxy to the server of a database URL ({@code scheme://user:password@host:port/name}) and that URL with the
     * proxy in the server's place.
     */
    public static Routed forDatabaseUrl(String url) {
        Matcher m = SERVER_IN_URL.matcher(url);
        if (!m.find()) {
            throw new IllegalArgumentException("no host:port in the database URL");
        }
        TcpProxy proxy = to(m.group(1), Integer.parseInt(m.group(2)));
        String routed = url.substring(0, m.start()) + "@127.0.0.1:" + proxy.port() + "/" + url.substring(m.end());
        return new Routed(proxy, routed);
    }

    /** A proxy and the database URL that goes through it. */
    public record Routed(TcpProxy proxy, String url) {
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Closes every live connection and refuses new ones (accepted, then closed at once) until restored. */
    public void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    /** Stops all traffic without closing anything; new connections are accepted and left unanswered. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Forwards new connections again; any left hanging by a blackhole is closed. */
    public void restore() {
        trigger.set(null);
        if (mode == Mode.BLACKHOLE) {
            closeAll();
        }
        mode = Mode.OPEN;
    }

    /**
     * Arms a one-time cut: the next chunk a client sends that contains {@code marker} is forwarded, then the proxy
     * is {@linkplain #cut() cut} before anything more comes back. {@link #trips()} counts the cuts made so.
     */
    public void cutWhenClientSends(String marker) {
        trigger.set(marker);
    }

    /** How many armed cuts have happened. */
    public int trips() {
        return trips.get();
    }

    /** Whether the proxy is cut now (by {@link #cut()} or a tripped marker). */
    public boolean isCut() {
        return mode == Mode.CUT;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
        closeAll();
    }

    private void closeAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Mode now = mode;
            if (now == Mode.CUT) {
                closeQuietly(client);
            } else if (now == Mode.BLACKHOLE) {
                sockets.add(client);
            } else {
                Thread.ofVirtual().start(() -> connect(client));
            }
        }
    }

    private void connect(Socket client) {
        sockets.add(client);
        Socket server = new Socket();
        try {
            // A relay that holds back each write's tail for a delayed ACK (Nagle's algorithm) adds some 40 ms to
            // every statement, which no real network path between a gateway and its database does.
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(host, targetPort), 5000);
        } catch (IOException e) {
            closeQuietly(server);
            closeQuietly(client);
            return;
        }
        sockets.add(server);
        if (mode != Mode.OPEN) {
            // Cut while connecting: this one goes down with the others.
            closeQuietly(server);
            closeQuietly(client);
            return;
        }
        // Muted by this connection's own tripped trigger only: muting every connection would drop the answers of
        // one that a concurrent cut happened to miss, and leave its client waiting forever.
        AtomicBoolean muted = new AtomicBoolean();
        Thread.ofVirtual().start(() -> pump(client, server, true, muted));
        Thread.ofVirtual().start(() -> pump(server, client, false, muted));
    }

    /** @param muted set by a tripped trigger before the marked chunk is forwarded, so that no answer gets back */
    private void pump(Socket from, Socket to, boolean fromClient, AtomicBoolean muted) {
        byte[] chunk = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (mode == Mode.BLACKHOLE || (!fromClient && muted.get())) {
                    continue;
                }
                String marker = fromClient ? trigger.get() : null;
                boolean trip = marker != null
                        && new String(chunk, 0, n, StandardCharsets.ISO_8859_1).contains(marker)
                        && trigger.compareAndSet(marker, null);
                if (trip) {
                    muted.set(true);
                }
                out.write(chunk, 0, n);
                out.flush();
                if (trip) {
                    trips.incrementAndGet();
                    cut();
                }
            }
        } catch (IOException e) {
            // one side closed or was cut: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
