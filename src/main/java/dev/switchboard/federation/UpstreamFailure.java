package dev.switchboard.federation;

import dev.switchboard.protocol.JsonRpcException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The one place that puts a failure to reach or hear an upstream into words for people ("connection refused",
 * "timed out after 5 s", "the server answered 404"): the REST answers, the health's last error and the logs show
 * these words, never a Java exception's class name.
 */
public final class UpstreamFailure {

    private UpstreamFailure() {
    }

    /**
     * A failure of a request to an upstream, in words: an {@link UpstreamException}'s message is already written
     * with {@link #reason}, a JSON-RPC error is the upstream's own answer, anything else is read from its causes.
     */
    public static String describe(Throwable failure) {
        if (failure instanceof UpstreamException e) {
            return e.getMessage();
        }
        if (failure instanceof JsonRpcException e) {
            return "the upstream answered with error " + e.code() + ": " + e.getMessage();
        }
        return reason(failure, null);
    }

    /**
     * Why an I/O attempt failed, from the first cause that says something a person can act on.
     *
     * @param connectTimeout the configured connect timeout, to say how long was waited; null when unknown
     */
    public static String reason(Throwable failure, Duration connectTimeout) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            String known = known(t, connectTimeout);
            if (known != null) {
                return known;
            }
        }
        // No cause we know: the deepest message there is, which the JDK writes for people too.
        String message = null;
        seen.clear();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? "the connection failed" : message;
    }

    private static String known(Throwable t, Duration connectTimeout) {
        return switch (t) {
            case HttpConnectTimeoutException e -> connectTimeout == null ? "the connection timed out"
                    : "the connection timed out after " + seconds(connectTimeout);
            case HttpTimeoutException e -> "timed out";
            case SocketTimeoutException e -> "timed out";
            case ConnectException e -> "connection refused";
            case NoRouteToHostException e -> "no route to the host";
            case UnknownHostException e -> "unknown host " + (e.getMessage() == null ? "" : e.getMessage()).strip();
            case SSLException e -> "the TLS handshake failed" + (e.getMessage() == null ? "" : ": " + e.getMessage());
            case EOFException e -> "the server closed the connection";
            case ClosedChannelException e -> "the server closed the connection";
            // A process that would not start: the JDK reports errno as "error=2," or "error: 2 (...)".
            case IOException e when errno(e, 2) -> "not found";
            case IOException e when errno(e, 13) -> "permission denied";
            default -> null;
        };
    }

    private static boolean errno(IOException e, int code) {
        return e.getMessage() != null && Pattern.compile("error(=|: )" + code + "\\b").matcher(e.getMessage()).find();
    }

    /** A duration as people write it: "5 s", "1.5 s", "250 ms", "2 min". */
    public static String seconds(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + " min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
