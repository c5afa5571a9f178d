package dev.switchboard.security.authserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches a document named by an outsider (a client_id URL) without letting that outsider steer the gateway: the
 * host's every address is checked before connecting, and the connection goes to the checked address (so a second
 * DNS answer cannot swap in a private one); TLS still verifies the certificate against the host name. One deadline
 * covers the lookup, the connection, the handshake and the whole answer; the body is read no further than the
 * size limit; redirects are refused, not followed.
 *
 * <p>It speaks the little HTTP/1.1 needed for one GET ({@code Connection: close}, identity encoding, chunked or
 * sized bodies) because the JDK's client cannot be told which address to connect to.
 */
final class ClientMetadataFetcher {

    /** A fetched answer: the body, and the caching headers by lower-case name. */
    record Fetched(byte[] body, Map<String, String> headers) {
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final SSLContext tls;
    private final Duration timeout;
    private final long maxBytes;
    private final boolean allowPrivate;
    private final Clock clock;

    ClientMetadataFetcher(SSLContext tls, Duration timeout, long maxBytes, boolean allowPrivate, Clock clock) {
        this.tls = tls;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.allowPrivate = allowPrivate;
        this.clock = clock;
    }

    /** GETs {@code url} (https, already checked by the caller); any failure is a {@link ClientMetadataException}. */
    Fetched get(URI url) {
        Instant deadline = clock.instant().plus(timeout);
        String host = url.getHost();
        int port = url.getPort() == -1 ? 443 : url.getPort();
        InetAddress address = checkedAddress(host, deadline);
        Socket plain = new Socket();
        // Each read is bounded by the time left, but a handshake is many reads: closing the socket at the deadline
        // ends whatever is under way. What then fails failed because of the deadline, whatever the clock says: the
        // sleep is in whole milliseconds, so the watchdog may close the socket a moment before the deadline.
        AtomicBoolean cutOff = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
                cutOff.set(true);
                plain.close();
            } catch (InterruptedException | IOException ignored) {
                // the fetch ended first
            }
        });
        try (plain) {
            plain.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(host)) {
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                }
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(remainingMillis(deadline));
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
                String authority = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: " + authority + "\r\nAccept: application/json\r\n"
                        + "Accept-Encoding: identity\r\nUser-Agent: Switchboard\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return read(new DeadlineInput(socket, deadline));
            }
        } catch (SocketTimeoutException e) {
            throw timedOut();
        } catch (IOException e) {
            if (cutOff.get() || !clock.instant().isBefore(deadline)) {
                throw timedOut();
            }
            throw new ClientMetadataException("the client metadata document could not be fetched: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } finally {
            watchdog.interrupt();
        }
    }

    private InetAddress checkedAddress(String host, Instant deadline) {
        InetAddress[] addresses;
        // The JDK's name lookup has no deadline of its own, so it runs on a thread of its own, not waited for past
        // the deadline.
        FutureTask<InetAddress[]> answer = new FutureTask<>(() -> InetAddress.getAllByName(host));
        Thread.ofVirtual().start(answer);
        {
            try {
                addresses = answer.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                answer.cancel(true);
                throw timedOut();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownHostException) {
                    throw new ClientMetadataException("the client metadata host " + host + " is unknown");
                }
                throw new ClientMetadataException("the client metadata host " + host + " could not be looked up");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw timedOut();
            }
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!PublicAddresses.isPublic(address)) {
                    throw new ClientMetadataException("the client metadata host " + host + " resolves to a "
                            + "non-public address, which this server does not fetch from "
                            + "(SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_ALLOW_PRIVATE)");
                }
            }
        }
        return addresses[0];
    }

    private Fetched read(DeadlineInput in) throws IOException {
        String status = in.line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new ClientMetadataException("the client metadata host did not answer in HTTP/1.1");
        }
        Map<String, String> headers = new TreeMap<>();
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        int code = parseStatus(parts[1]);
        if (code >= 300 && code < 400) {
            throw new ClientMetadataException("the client metadata URL answered with a redirect (" + code
                    + "), which is not followed: the document must be served at the client_id itself");
        }
        if (code != 200) {
            throw new ClientMetadataException("the client metadata URL answered " + code + ", not 200");
        }
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        byte[] body;
        if (encoding.contains("chunked")) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            long length = parseLength(headers.get("content-length"));
            if (length > maxBytes) {
                throw tooLarge();
            }
            body = in.bytes((int) length);
        } else {
            body = in.rest(maxBytes, this::tooLarge);
        }
        return new Fetched(body, headers);
    }

    private byte[] chunked(DeadlineInput in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = in.line();
            int semicolon = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new ClientMetadataException("the client metadata host sent a malformed chunk");
            }
            if (size < 0 || body.size() + size > maxBytes) {
                throw tooLarge();
            }
            if (size == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.bytes((int) size));
            in.line();
        }
    }

    private static int parseStatus(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ClientMetadataException("the client metadata host sent a malformed status line");
        }
    }

    private static long parseLength(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ClientMetadataException("the client metadata host sent a malformed Content-Length");
        }
    }

    private ClientMetadataException tooLarge() {
        return new ClientMetadataException("the client metadata document is larger than " + maxBytes
                + " bytes (SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_MAX_BYTES)");
    }

    private ClientMetadataException timedOut() {
        return new ClientMetadataException("the client metadata document was not fetched within "
                + timeout.toMillis() + " ms (SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_FETCH_TIMEOUT)");
    }

    private int remainingMillis(Instant deadline) {
        long left = Duration.between(clock.instant(), deadline).toMillis();
        if (left <= 0) {
            throw timedOut();
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** The socket's input, each read given only the time left before the deadline, so a trickle cannot outlast it. */
    private final class DeadlineInput {
        private final Socket socket;
        private final InputStream in;
        private final Instant deadline;
        private int headerBytes;

        DeadlineInput(Socket socket, Instant deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private int next() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        /** One CRLF-ended line of the head or of a chunk header, bounded. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = next();
                if (b < 0) {
                    throw new ClientMetadataException("the client metadata host closed the connection early");
                }
                if (++headerBytes > MAX_HEADER_BYTES) {
                    throw new ClientMetadataException("the client metadata host sent more than "
                            + MAX_HEADER_BYTES + " bytes of headers");
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
        }

        byte[] bytes(int count) throws IOException {
            byte[] buffer = new byte[count];
            int read = 0;
            while (read < count) {
                socket.setSoTimeout(remainingMillis(deadline));
                int n = in.read(buffer, read, count - read);
                if (n < 0) {
                    throw new ClientMetadataException("the client metadata host closed the connection early");
                }
                read += n;
            }
            return buffer;
        }

        byte[] rest(long limit, java.util.function.Supplier<ClientMetadataException> tooLarge) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline));
                int n = in.read(buffer);
                if (n < 0) {
                    return body.toByteArray();
                }
                if (body.size() + n > limit) {
                    throw tooLarge.get();
                }
                body.write(buffer, 0, n);
            }
        }
    }

    static List<String> headerValues(String value) {
        List<String> values = new ArrayList<>();
        for (String part : value.split(",")) {
            values.add(part.trim().toLowerCase(Locale.ROOT));
        }
        return values;
    }
}
