package dev.switchboard.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.switchboard.problem.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The external authorization server (SWITCHBOARD_OAUTH_ISSUER): its metadata, found by RFC 8414 or OpenID
 * discovery on first use rather than at start-up (a provider that is down must not stop the gateway), and the
 * keys at its {@code jwks_uri}. Every fetch has a deadline and a size limit; a failure is remembered briefly so an
 * outage does not turn every request into a slow fetch.
 */
final class ExternalIssuer {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Metadata is re-read this often, so a provider that moves its keys' URL is followed. */
    static final Duration METADATA_LIFETIME = Duration.ofHours(1);
    /** After a failed discovery, requests are answered 503 for this long without asking again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    private static final int MAX_BYTES = 256 * 1024;

    private record Discovered(JWKSource<SecurityContext> keys, Instant until) {
    }

    private final URI issuer;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile Discovered discovered;
    private volatile Instant failedUntil = Instant.MIN;

    ExternalIssuer(URI issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    URI issuer() {
        return issuer;
    }

    /** The provider's signing keys; fails with a 503 problem when its metadata cannot be read. */
    JWKSource<SecurityContext> keys() {
        Discovered current = discovered;
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.until())) {
            return current.keys();
        }
        synchronized (this) {
            current = discovered;
            if (current != null && now.isBefore(current.until())) {
                return current.keys();
            }
            if (now.isBefore(failedUntil)) {
                throw unavailable("its metadata could not be read moments ago", null);
            }
            try {
                discovered = new Discovered(keySource(jwksUri()), now.plus(METADATA_LIFETIME));
                return discovered.keys();
            } catch (RuntimeException e) {
                if (current != null) {
                    // Keep the keys we had: the provider's metadata being down does not make them wrong.
                    discovered = new Discovered(current.keys(), now.plus(RETRY_AFTER_FAILURE));
                    return current.keys();
                }
                failedUntil = now.plus(RETRY_AFTER_FAILURE);
                throw e instanceof AuthenticationUnavailableException u ? u : unavailable(e.getMessage(), e);
            }
        }
    }

    /** The two places a provider publishes its metadata: RFC 8414's, then OpenID Connect's. */
    List<URI> metadataUrls() {
        String text = issuer.toString();
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
        String origin = text.substring(0, text.length() - path.length());
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + trimmed),
                URI.create(origin + trimmed + "/.well-known/openid-configuration"));
    }

    private URI jwksUri() {
        String reasons = "";
        for (URI url : metadataUrls()) {
            try {
                JsonNode metadata = fetch(url);
                if (metadata == null) {
                    reasons += url + " answered no metadata; ";
                    continue;
                }
                String named = metadata.path("issuer").asString("");
                if (!named.equals(issuer.toString())) {
                    // RFC 8414 section 3.3: metadata for another issuer must not be used.
                    throw unavailable("the metadata at " + url + " names the issuer '" + named + "', not "
                            + "SWITCHBOARD_OAUTH_ISSUER", null);
                }
                String jwks = metadata.path("jwks_uri").asString("");
                if (!jwks.startsWith("https://") && !jwks.startsWith("http://")) {
                    throw unavailable("its metadata at " + url + " has no jwks_uri", null);
                }
                return URI.create(jwks);
            } catch (IOException | IllegalArgumentException | JacksonException e) {
                reasons += url + ": " + e.getClass().getSimpleName() + "; ";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted", e);
            }
        }
        throw unavailable("no metadata could be read (" + reasons.trim() + ")", null);
    }

    /** The metadata document at {@code url}, or null when the provider has none there (404 and the like). */
    private JsonNode fetch(URI url) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return null;
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("metadata larger than " + MAX_BYTES + " bytes");
            }
            JsonNode node = json.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        }
    }

    private static JWKSource<SecurityContext> keySource(URI jwksUri) {
        try {
            return JWKSourceBuilder.create(jwksUri.toURL(), new DefaultResourceRetriever(
                    (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis(), MAX_BYTES)).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL", e);
        }
    }

    private AuthenticationUnavailableException unavailable(String why, Throwable cause) {
        return new AuthenticationUnavailableException(ProblemType.SIGNING_KEYS_UNAVAILABLE,
                "The authorization server " + issuer + " (SWITCHBOARD_OAUTH_ISSUER) cannot be reached to check the "
                        + "token: " + why, cause);
    }
}
