package dev.switchboard.replicas;

import dev.switchboard.security.SecretCipher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Requests from one replica to another: a client's message passed on to the replica running the call it is for.
 * The request is the client's own (its path, its headers and credentials, its body), so the receiving replica
 * authenticates and authorizes it as it would the client's; it also carries {@value #HEADER}, an HMAC under a key
 * derived from SWITCHBOARD_SECRET_KEY over the sender, the time, the method, the path and the body, which tells the
 * receiver that another replica passed it on (and so must not pass it on again).
 */
@Component
public class ReplicaLink {

    /** The header that marks a request passed on by a replica: {@code <replica id> <epoch second> <signature>}. */
    public static final String HEADER = "Switchboard-Replica";
    /** How far a signature's time may be from the receiver's clock. */
    static final Duration SKEW = Duration.ofMinutes(1);
    /** How long a connection to another replica may take: they share a network. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Request headers never passed on: the hop's own, which the HTTP client sets itself. */
    private static final Set<String> HOP_REQUEST_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "keep-alive", "te", "trailer", "transfer-encoding", "proxy-authorization",
            "proxy-connection", HEADER.toLowerCase(Locale.ROOT));
    /** Response headers never passed back. */
    private static final Set<String> HOP_RESPONSE_HEADERS = Set.of("connection", "content-length", "keep-alive",
            "transfer-encoding", "date", ":status");

    private final byte[] key;
    private final Replicas replicas;
    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    ReplicaLink(SecretCipher cipher, Replicas replicas) {
        this.key = cipher.derivedKey("replica-link");
        this.replicas = replicas;
    }

    /** Who sent a request: a client, or (its signature verified) another replica; anything else is forged. */
    public enum Sender { CLIENT, REPLICA, FORGED }

    /** Who sent {@code request}, whose body is {@code body}. */
    public Sender senderOf(HttpServletRequest request, String body) {
        String header = request.getHeader(HEADER);
        if (header == null) {
            return Sender.CLIENT;
        }
        String[] parts = header.strip().split(" ");
        if (parts.length != 3 || !Replicas.isId(parts[0]) || !parts[1].matches("[0-9]{1,12}")) {
            return Sender.FORGED;
        }
        long at = Long.parseLong(parts[1]);
        if (Math.abs(clock.instant().getEpochSecond() - at) > SKEW.toSeconds()) {
            return Sender.FORGED;
        }
        byte[] expected = signature(parts[0], at, request.getMethod(), target(request), bytes(body));
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Sender.FORGED;
        }
        return MessageDigest.isEqual(expected, given) ? Sender.REPLICA : Sender.FORGED;
    }

    /**
     * Passes {@code request} on to the replica at {@code address} with {@code body} in place of its own; the
     * response's body is left to the caller to read or close. {@code timeout} bounds the wait for the response's
     * head; the body then flows as the other replica writes it.
     */
    public HttpResponse<InputStream> pass(URI address, HttpServletRequest request, String body, Duration timeout)
            throws IOException, InterruptedException {
        return send(address, request, target(request), body, timeout);
    }

    /**
     * Sends another replica {@code body} for the client of {@code request}, to {@code request}'s path with
     * {@code query} added: a message of this replica's for that client, with the client's headers and credentials, so
     * that the other replica finds the client's session as it would for the client.
     */
    public HttpResponse<InputStream> sendFor(URI address, HttpServletRequest request, String query, String body,
                                             Duration timeout) throws IOException, InterruptedException {
        String own = request.getQueryString();
        return send(address, request, request.getRequestURI() + "?" + (own == null ? "" : own + "&") + query, body,
                timeout);
    }

    private HttpResponse<InputStream> send(URI address, HttpServletRequest request, String target, String body,
                                           Duration timeout) throws IOException, InterruptedException {
        byte[] content = bytes(body);
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(address + target)).timeout(timeout)
                .method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(content));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (HOP_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                out.header(name, value);
            }
        }
        long at = clock.instant().getEpochSecond();
        out.header(HEADER, replicas.id() + " " + at + " " + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signature(replicas.id(), at, request.getMethod(), target, content)));
        return http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Writes {@code answer}, another replica's response, as the response to the client: its status, its headers
     * and its body, flushed as it comes (an SSE stream stays one). A client that goes away closes the other replica's
     * response, which stops what it was serving.
     */
    public static void relay(HttpResponse<InputStream> answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!HOP_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        try (InputStream in = answer.body()) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (in.available() == 0) {
                    out.flush();
                }
            }
            out.flush();
        }
    }

    /** The path and query the request was sent to, as sent. */
    private static String target(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    private byte[] signature(String sender, long at, String method, String target, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            String signed = sender + "\n" + at + "\n" + method + "\n" + target + "\n"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256 and SHA-256", e);
        }
    }

    private static byte[] bytes(String body) {
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }
}
