package dev.switchboard.security.authserver;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dynamic client registration (RFC 7591) at {@code POST /oauth2/register}. Open by default, but only for redirect URIs
 * that are https, or http on a loopback host; with {@code registration=token}, only with the initial access token.
 * Public clients ({@code none}) and confidential ones ({@code client_secret_basic}, {@code client_secret_post}) may
 * register for the authorization code grant, with refresh tokens if they ask. The body and the lists in it are bounded.
 */
final class ClientRegistrationEndpoint extends OncePerRequestFilter {

    static final String PATH = "/oauth2/register";
    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_URI_LENGTH = 2000;
    static final int MAX_NAME_LENGTH = 255;
    /** The scopes a client may ask for: MCP use, refresh tokens and OpenID Connect sign-in. */
    static final Set<String> SCOPES = Set.of("mcp:use", "offline_access", "openid");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "::1", "localhost");
    private static final Set<String> AUTH_METHODS = Set.of("none", "client_secret_basic", "client_secret_post");
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
    private static final Logger log = LoggerFactory.getLogger(ClientRegistrationEndpoint.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A refusal: its RFC 7591 error code and what to tell the client. */
    private static final class Refusal extends Exception {
        final String code;

        Refusal(String code, String description) {
            super(description, null, false, false);
            this.code = code;
        }
    }

    private final ClientStore clients;
    private final AuthServerSettings settings;
    private final PasswordEncoder secrets;

    ClientRegistrationEndpoint(ClientStore clients, AuthServerSettings settings, PasswordEncoder secrets) {
        this.clients = clients;
        this.settings = settings;
        this.secrets = secrets;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.equals(PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            AuthorizationResponses.writeError(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    new OAuth2Error("invalid_request", "Register a client with POST", null));
            return;
        }
        if (settings.registrationNeedsToken() && !presentsRegistrationToken(request)) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            AuthorizationResponses.writeError(response, HttpServletResponse.SC_UNAUTHORIZED,
                    new OAuth2Error("invalid_token", "Registration needs the initial access token as a Bearer token",
                            null));
            return;
        }
        try {
            Map<String, Object> registered = register(read(request));
            response.setStatus(HttpServletResponse.SC_CREATED);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            response.getOutputStream().write(JSON.writeValueAsString(registered).getBytes(StandardCharsets.UTF_8));
        } catch (Refusal refusal) {
            AuthorizationResponses.writeError(response, HttpServletResponse.SC_BAD_REQUEST,
                    new OAuth2Error(refusal.code, refusal.getMessage(), null));
        } catch (RuntimeException e) {
            log.warn("A client registration could not be stored: {}", e.getClass().getSimpleName());
            AuthorizationResponses.writeError(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    new OAuth2Error("temporarily_unavailable", "The registration could not be stored; try again",
                            null));
        }
    }

    private boolean presentsRegistrationToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = TokenHashes.sha256(header.substring(7).trim()).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = TokenHashes.sha256(settings.registrationToken()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected);
    }

    private static JsonNode read(HttpServletRequest request) throws IOException, Refusal {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new Refusal("invalid_client_metadata", "The registration is larger than " + MAX_BODY_BYTES
                    + " bytes");
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new Refusal("invalid_client_metadata", "The registration is larger than " + MAX_BODY_BYTES
                    + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new Refusal("invalid_client_metadata", "The registration must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new Refusal("invalid_client_metadata", "The registration is not valid JSON");
        }
    }

    private Map<String, Object> register(JsonNode metadata) throws Refusal {
        List<String> redirectUris = strings(metadata, "redirect_uris", null, MAX_REDIRECT_URIS);
        if (redirectUris.isEmpty()) {
            throw new Refusal("invalid_redirect_uri", "redirect_uris must name at least one redirect URI");
        }
        for (String uri : redirectUris) {
            checkRedirectUri(uri);
        }
        String authMethod = text(metadata, "token_endpoint_auth_method", "client_secret_basic");
        if (!AUTH_METHODS.contains(authMethod)) {
            throw new Refusal("invalid_client_metadata", "token_endpoint_auth_method must be one of " + AUTH_METHODS);
        }
        List<String> grantTypes = strings(metadata, "grant_types", List.of("authorization_code"), 4);
        if (!GRANT_TYPES.containsAll(grantTypes) || !grantTypes.contains("authorization_code")) {
            throw new Refusal("invalid_client_metadata", "grant_types must be authorization_code, with refresh_token "
                    + "if refresh tokens are wanted");
        }
        List<String> responseTypes = strings(metadata, "response_types", List.of("code"), 4);
        if (!responseTypes.equals(List.of("code"))) {
            throw new Refusal("invalid_client_metadata", "response_types must be [\"code\"]");
        }
        String scope = text(metadata, "scope", "mcp:use");
        Set<String> scopes = new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
        if (!SCOPES.containsAll(scopes)) {
            throw new Refusal("invalid_client_metadata", "scope may only hold " + SCOPES);
        }
        String name = text(metadata, "client_name", null);
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            throw new Refusal("invalid_client_metadata", "client_name is longer than " + MAX_NAME_LENGTH);
        }

        String clientId = random(24);
        String secret = authMethod.equals("none") ? null : random(32);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        RegisteredClient client = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientIdIssuedAt(now)
                .clientSecret(secret == null ? null : secrets.encode(secret))
                .clientName(name == null ? clientId : name)
                .clientAuthenticationMethod(new ClientAuthenticationMethod(authMethod))
                .authorizationGrantTypes(set -> grantTypes.forEach(g -> set.add(new AuthorizationGrantType(g))))
                .redirectUris(set -> set.addAll(redirectUris))
                .scopes(set -> set.addAll(scopes))
                .build();
        clients.save(client);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("client_id", clientId);
        answer.put("client_id_issued_at", now.getEpochSecond());
        if (secret != null) {
            answer.put("client_secret", secret);
            answer.put("client_secret_expires_at", 0);
        }
        if (name != null) {
            answer.put("client_name", name);
        }
        answer.put("redirect_uris", redirectUris);
        answer.put("token_endpoint_auth_method", authMethod);
        answer.put("grant_types", grantTypes);
        answer.put("response_types", responseTypes);
        answer.put("scope", String.join(" ", scopes));
        return answer;
    }

    /** https anywhere, or http on a loopback host (RFC 8252); no fragment; nothing else. */
    static void checkRedirectUri(String value) throws Refusal {
        if (value.length() > MAX_URI_LENGTH) {
            throw new Refusal("invalid_redirect_uri", "A redirect URI is longer than " + MAX_URI_LENGTH);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new Refusal("invalid_redirect_uri", "A redirect URI is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || host.isEmpty() || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new Refusal("invalid_redirect_uri", "A redirect URI must be absolute, with a host and no fragment");
        }
        if (scheme.equals("https") || (scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
            return;
        }
        throw new Refusal("invalid_redirect_uri", "A redirect URI must be https, or http on a loopback host "
                + "(127.0.0.1, [::1] or localhost)");
    }

    private static List<String> strings(JsonNode metadata, String field, List<String> fallback, int max)
            throws Refusal {
        JsonNode node = metadata.get(field);
        if (node == null || node.isNull()) {
            return fallback == null ? List.of() : fallback;
        }
        if (!node.isArray() || node.size() > max) {
            throw new Refusal(field.equals("redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata",
                    field + " must be an array of at most " + max + " strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw new Refusal("invalid_client_metadata", field + " must hold strings");
            }
            values.add(item.asString());
        }
        return values;
    }

    private static String text(JsonNode metadata, String field, String fallback) throws Refusal {
        JsonNode node = metadata.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isString()) {
            throw new Refusal("invalid_client_metadata", field + " must be a string");
        }
        return node.asString();
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
