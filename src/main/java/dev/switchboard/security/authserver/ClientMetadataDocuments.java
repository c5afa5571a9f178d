package dev.switchboard.security.authserver;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client_id that is an https URL
 * names its own registration, fetched from that URL ({@link ClientMetadataFetcher}) and checked here. Documents are
 * cached as their Cache-Control allows, within bounds: {@code no-store}/{@code no-cache} are fetched each time, a
 * {@code max-age} is kept at most a day, and a document without one for five minutes. The cache is bounded.
 */
public final class ClientMetadataDocuments {

    static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    static final Duration MAX_TTL = Duration.ofDays(1);
    static final int CAPACITY = 1000;

    private static final Set<String> SHARED_SECRET_METHODS = Set.of("client_secret_basic", "client_secret_post",
            "client_secret_jwt");

    private record Cached(ClientMetadata metadata, Instant until) {
    }

    private final ClientMetadataFetcher fetcher;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);

    ClientMetadataDocuments(ClientMetadataFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** Whether {@code clientId} is meant as a metadata document URL (rather than a registered client's id). */
    public static boolean isDocumentUrl(String clientId) {
        return clientId != null && clientId.regionMatches(true, 0, "https://", 0, 8);
    }

    /** The checked metadata of the client named by {@code clientId}, an https URL; fetched unless cached. */
    public ClientMetadata resolve(String clientId) {
        URI url = checkedUrl(clientId);
        Instant now = clock.instant();
        synchronized (cache) {
            Cached cached = cache.get(clientId);
            if (cached != null && now.isBefore(cached.until())) {
                return cached.metadata();
            }
        }
        ClientMetadataFetcher.Fetched fetched = fetcher.get(url);
        ClientMetadata metadata = parse(clientId, fetched.body());
        Duration ttl = ttl(fetched.headers().get("cache-control"));
        synchronized (cache) {
            if (ttl.isPositive()) {
                cache.put(clientId, new Cached(metadata, now.plus(ttl)));
                if (cache.size() > CAPACITY) {
                    cache.remove(cache.keySet().iterator().next());
                }
            } else {
                cache.remove(clientId);
            }
        }
        return metadata;
    }

    /** The rules the draft sets for a client_id URL. */
    static URI checkedUrl(String clientId) {
        URI url;
        try {
            url = new URI(clientId);
        } catch (URISyntaxException e) {
            throw new ClientMetadataException("the client_id is not a valid URL");
        }
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new ClientMetadataException("a client_id URL must be an https URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            throw new ClientMetadataException("a client_id URL must not hold a user name or password");
        }
        if (url.getRawFragment() != null) {
            throw new ClientMetadataException("a client_id URL must not hold a fragment");
        }
        String path = url.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw new ClientMetadataException("a client_id URL must have a path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new ClientMetadataException("a client_id URL must not hold . or .. path segments");
            }
        }
        return url;
    }

    private ClientMetadata parse(String clientId, byte[] body) {
        JsonNode document;
        try {
            document = json.readTree(body);
        } catch (JacksonException e) {
            throw new ClientMetadataException("the client metadata document is not JSON");
        }
        if (document == null || !document.isObject()) {
            throw new ClientMetadataException("the client metadata document is not a JSON object");
        }
        JsonNode id = document.get("client_id");
        if (id == null || !id.isString() || !id.asString().equals(clientId)) {
            throw new ClientMetadataException("the client metadata document's client_id is not its own URL");
        }
        if (document.has("client_secret") || document.has("client_secret_expires_at")) {
            throw new ClientMetadataException("a client metadata document must not hold a client secret");
        }
        String method = text(document, "token_endpoint_auth_method", "none");
        if (SHARED_SECRET_METHODS.contains(method)) {
            throw new ClientMetadataException("a client metadata document must not use a shared secret ("
                    + method + ")");
        }
        if (!method.equals("none")) {
            throw new ClientMetadataException("token_endpoint_auth_method " + method + " is not supported for "
                    + "metadata document clients; use none");
        }
        List<String> redirectUris = strings(document, "redirect_uris");
        if (redirectUris.isEmpty()) {
            throw new ClientMetadataException("the client metadata document has no redirect_uris");
        }
        redirectUris.forEach(ClientMetadataDocuments::checkRedirectUri);
        Set<String> grantTypes = new LinkedHashSet<>(strings(document, "grant_types"));
        if (grantTypes.isEmpty()) {
            grantTypes.add("authorization_code");
        }
        grantTypes.retainAll(Set.of("authorization_code", "refresh_token"));
        if (!grantTypes.contains("authorization_code")) {
            throw new ClientMetadataException("the client metadata document's grant_types lack authorization_code");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : text(document, "scope", "").split(" ")) {
            if (!scope.isBlank()) {
                scopes.add(scope);
            }
        }
        URI home = null;
        String clientUri = text(document, "client_uri", null);
        if (clientUri != null) {
            try {
                home = new URI(clientUri);
            } catch (URISyntaxException e) {
                throw new ClientMetadataException("the client metadata document's client_uri is not a URL");
            }
        }
        String name = text(document, "client_name", null);
        String shownName = name == null || name.isBlank() ? URI.create(clientId).getHost() : name.strip();
        if (shownName.length() > 200) {
            shownName = shownName.substring(0, 200);
        }
        return new ClientMetadata(clientId, shownName, home, List.copyOf(redirectUris), Set.copyOf(grantTypes),
                Set.copyOf(scopes));
    }

    /** Only https, or http on a loopback address (RFC 8252 native apps), absolute and without a fragment. */
    static void checkRedirectUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ClientMetadataException("a redirect URI of the client metadata document is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost");
        if (uri.getRawFragment() != null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
            throw new ClientMetadataException("the client metadata document's redirect URI " + value
                    + " is not https, or http on a loopback address");
        }
    }

    private static Duration ttl(String cacheControl) {
        if (cacheControl == null) {
            return DEFAULT_TTL;
        }
        Duration ttl = DEFAULT_TTL;
        for (String directive : ClientMetadataFetcher.headerValues(cacheControl)) {
            if (directive.equals("no-store") || directive.equals("no-cache")) {
                return Duration.ZERO;
            }
            if (directive.startsWith("max-age=")) {
                try {
                    ttl = Duration.ofSeconds(Math.max(0, Long.parseLong(directive.substring(8).replace("\"", ""))));
                } catch (NumberFormatException e) {
                    ttl = Duration.ZERO;
                }
            }
        }
        return ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    private static String text(JsonNode document, String field, String fallback) {
        JsonNode value = document.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isString()) {
            throw new ClientMetadataException("the client metadata document's " + field + " is not a string");
        }
        return value.asString();
    }

    private static List<String> strings(JsonNode document, String field) {
        JsonNode value = document.get(field);
        List<String> values = new ArrayList<>();
        if (value == null || value.isNull()) {
            return values;
        }
        if (!value.isArray()) {
            throw new ClientMetadataException("the client metadata document's " + field + " is not an array");
        }
        for (JsonNode item : value) {
            if (!item.isString()) {
                throw new ClientMetadataException("the client metadata document's " + field
                        + " holds something other than strings");
            }
            values.add(item.asString());
        }
        return values;
    }
}
