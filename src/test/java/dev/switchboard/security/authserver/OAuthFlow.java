package dev.switchboard.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An MCP client's side of the OAuth flow against a gateway, over plain HTTP: registration, the authorization request
 * with PKCE, the real login and consent forms (cookie and CSRF token carried), the code exchange, refresh and
 * revocation. Each instance is one browser: it keeps its own cookies.
 */
final class OAuthFlow {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern INPUT = Pattern.compile("<input[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final String origin;
    private final HttpClient http;
    /** How many consent pages this browser was shown. */
    int consentPages;

    /** A client of the gateway listening on {@code port}. */
    OAuthFlow(int port) {
        this.origin = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A PKCE verifier and its S256 challenge. */
    record Pkce(String verifier, String challenge) {
        static Pkce create() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            return new Pkce(verifier, s256(verifier));
        }

        static String s256(String verifier) {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A registered client. */
    record Client(String clientId, String secret, String redirectUri) {
    }

    HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(resolve(pathOrUrl)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postForm(String path, Map<String, String> form, String... headers)
            throws IOException, InterruptedException {
        return postForm(path, form.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList(),
                headers);
    }

    HttpResponse<String> postForm(String path, List<Map.Entry<String, String>> form, String... headers)
            throws IOException, InterruptedException {
        String body = form.stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Registers a client for {@code redirectUri}; {@code authMethod} none makes a public client. */
    Client register(String redirectUri, String authMethod) throws IOException, InterruptedException {
        return register(redirectUri, authMethod, "mcp:use offline_access");
    }

    /** Registers a client for {@code redirectUri} that may ask for {@code scope}. */
    Client register(String redirectUri, String authMethod, String scope) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("redirect_uris", List.of(redirectUri),
                "token_endpoint_auth_method", authMethod, "client_name", "Test client",
                "grant_types", List.of("authorization_code", "refresh_token"), "scope", scope));
        HttpResponse<String> response = postJson("/oauth2/register", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode registered = JSON.readTree(response.body());
        return new Client(registered.get("client_id").asString(),
                registered.has("client_secret") ? registered.get("client_secret").asString() : null, redirectUri);
    }

    /** The authorization request's query, parameters in order. */
    static String authorizeQuery(Map<String, String> parameters) {
        return "/oauth2/authorize?" + parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    /**
     * Runs the browser part: the authorization request, login with the form, consent with the form (when asked),
     * up to the redirect back to the client; returns that redirect's query parameters.
     */
    Map<String, String> authorize(String authorizeUrl, String user, String password)
            throws IOException, InterruptedException {
        HttpResponse<String> response = get(authorizeUrl);
        for (int step = 0; step < 10; step++) {
            if (response.statusCode() == 302 || response.statusCode() == 303) {
                String location = response.headers().firstValue("Location").orElseThrow();
                URI target = resolve(location);
                if (!target.toString().startsWith(origin)) {
                    return query(target);
                }
                response = get(target.toString());
            } else if (response.statusCode() == 200 && response.body().contains("name=\"username\"")) {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("username", user);
                form.put("password", password);
                form.put("_csrf", hiddenInputs(response.body()).get("_csrf"));
                response = postForm("/login", form);
            } else if (response.statusCode() == 200 && response.body().contains("name=\"scope\"")) {
                consentPages++;
                response = consent(response.body());
            } else {
                throw new AssertionError("unexpected answer " + response.statusCode() + ": " + response.body());
            }
        }
        throw new AssertionError("too many steps");
    }

    /** Posts the consent form, granting every scope it offers. */
    private HttpResponse<String> consent(String whole) throws IOException, InterruptedException {
        // The first form is the approval; the consent page's second form (deny) carries no scopes.
        String page = whole.substring(whole.indexOf("<form"), whole.indexOf("</form>"));
        List<Map.Entry<String, String>> form = new java.util.ArrayList<>();
        Matcher inputs = INPUT.matcher(page);
        while (inputs.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(inputs.group());
            while (a.find()) {
                attributes.put(a.group(1).toLowerCase(), a.group(2));
            }
            String name = attributes.get("name");
            if (name != null && attributes.containsKey("value")) {
                form.add(Map.entry(name, unescape(attributes.get("value"))));
            }
        }
        Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page);
        String target = action.find() ? unescape(action.group(1)) : "/oauth2/authorize";
        return postForm(target, form);
    }

    private static Map<String, String> hiddenInputs(String page) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher inputs = INPUT.matcher(page);
        while (inputs.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(inputs.group());
            while (a.find()) {
                attributes.put(a.group(1).toLowerCase(), a.group(2));
            }
            if ("hidden".equals(attributes.get("type")) && attributes.containsKey("name")) {
                values.put(attributes.get("name"), unescape(attributes.get("value")));
            }
        }
        return values;
    }

    /** The code exchange, with client authentication as the client registered. */
    HttpResponse<String> exchange(Client client, String code, String verifier) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", client.redirectUri());
        form.put("code_verifier", verifier);
        return tokenRequest(client, form);
    }

    HttpResponse<String> refresh(Client client, String refreshToken) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return tokenRequest(client, form);
    }

    HttpResponse<String> revoke(Client client, String token) throws IOException, InterruptedException {
        if (client.secret() == null) {
            return postForm("/oauth2/revoke", Map.of("token", token, "client_id", client.clientId()));
        }
        return postForm("/oauth2/revoke", Map.of("token", token), "Authorization", basic(client));
    }

    private HttpResponse<String> tokenRequest(Client client, Map<String, String> form)
            throws IOException, InterruptedException {
        if (client.secret() == null) {
            form.put("client_id", client.clientId());
            return postForm("/oauth2/token", form);
        }
        return postForm("/oauth2/token", form, "Authorization", basic(client));
    }

    private static String basic(Client client) {
        return "Basic " + Base64.getEncoder().encodeToString((encode(client.clientId()) + ":"
                + encode(client.secret())).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return values;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private URI resolve(String pathOrUrl) {
        return URI.create(origin + "/").resolve(pathOrUrl);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">");
    }
}
