package dev.switchboard.federation;

import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.federation.UpstreamException.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a connection to an upstream over the transport it speaks. For a URL registered as Streamable HTTP it first
 * asks server/discover whether the upstream is a stateless 2026-07-28 one; otherwise it initializes, and when the
 * URL answers that POST with 404, 405 or a 400 without JSON it tries legacy HTTP+SSE on the same URL.
 */
final class UpstreamOpener {

    private static final Logger log = LoggerFactory.getLogger(UpstreamOpener.class);

    private final HttpClient client;
    private final UpstreamSettings settings;

    UpstreamOpener(HttpClient client, UpstreamSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** A shared client for every HTTP upstream: HTTP/1.1, with the configured connect timeout. */
    static HttpClient httpClient(UpstreamSettings settings) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Connects to {@code gateway} with {@code credential} in clear, and no stdio environment beyond what its
     * command document may still hold in clear.
     *
     * @throws UpstreamException when it cannot be opened
     */
    RpcConnection open(UpstreamGateway gateway, Credential credential) {
        return open(gateway, credential, Map.of());
    }

    /**
     * Connects to {@code gateway} with {@code credential} and, for stdio, the environment values {@code environment}
     * in clear.
     *
     * @throws UpstreamException when it cannot be opened
     */
    RpcConnection open(UpstreamGateway gateway, Credential credential, Map<String, String> environment) {
        // One deadline for the whole opening, however many steps it takes (probe, fallback, handshake).
        long by = System.nanoTime() + settings.openDeadline().toNanos();
        RpcConnection connection = switch (gateway.transport()) {
            case STDIO -> StdioConnection.open(gateway.name(),
                    StdioCommand.parse(gateway.name(), gateway.command(), environment),
                    settings.requestTimeout(), settings.stdioRestartMax(), new MessageCap(settings.maxMessageBytes()),
                    by);
            case SSE -> LegacySseConnection.open(http(gateway, credential), settings.requestTimeout(), by);
            case STREAMABLE_HTTP -> streamable(http(gateway, credential), by);
        };
        log.info("Upstream {}: connected over {} with protocol version {}", gateway.name(), connection.transport(),
                connection.protocolVersion());
        return connection;
    }

    private RpcConnection streamable(HttpUpstream http, long by) {
        StatelessHttpConnection stateless = StatelessHttpConnection.probe(http, settings.requestTimeout(), by);
        if (stateless != null) {
            return stateless;
        }
        try {
            return StreamableHttpConnection.open(http, settings.requestTimeout(), by);
        } catch (HttpStatusException e) {
            if (!e.suggestsLegacySse()) {
                throw e;
            }
            log.info("Upstream {} answered initialize with HTTP {}: trying legacy HTTP+SSE", http.name(), e.status());
            try {
                return LegacySseConnection.open(http, settings.requestTimeout(), by);
            } catch (UpstreamException sse) {
                e.addSuppressed(sse);
                throw e;
            }
        }
    }

    private HttpUpstream http(UpstreamGateway gateway, Credential credential) {
        URI url;
        try {
            url = URI.create(gateway.url());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + gateway.name() + " has no valid URL");
        }
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + gateway.name() + " has no http(s) URL");
        }
        return new HttpUpstream(gateway.name(), client, url, UpstreamAuth.headers(credential),
                settings.requestTimeout(), new MessageCap(settings.maxMessageBytes()));
    }
}
