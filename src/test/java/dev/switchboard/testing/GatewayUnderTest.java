package dev.switchboard.testing;

import dev.switchboard.persistence.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole gateway, started as the jar starts it on a random port, with an administrator, a JWT secret and the
 * secret key of its database (replicas on one registry share a key, as they must); and an HTTP client that speaks to it as administrator, with a scoped JWT, or with
 * no credentials at all.
 */
public final class GatewayUnderTest implements AutoCloseable {

    public static final String ADMIN = "admin";
    private static final Map<String, GatewayUnderTest> SHARED = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One random secret key per registry database: a second replica with a key of its own would be refused. */
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    private final TestGateway gateway;
    private final String adminPassword;
    private final byte[] jwtSecret;
    private final String databaseUrl;

    private GatewayUnderTest(TestGateway gateway, String adminPassword, byte[] jwtSecret, String databaseUrl) {
        this.gateway = gateway;
        this.adminPassword = adminPassword;
        this.jwtSecret = jwtSecret;
        this.databaseUrl = databaseUrl;
    }

    /**
     * One gateway per engine for the whole test run, on its own database; tests use unique names. Its failed-login
     * limit is out of reach: tests refuse credentials on purpose (disabled users, revoked tokens), and their 401s
     * together must not get another test's requests answered 429.
     */
    public static GatewayUnderTest shared(TestEngine engine) {
        return SHARED.computeIfAbsent(engine.label(), k -> start(engine.newDatabaseUrl(),
                Map.of("SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "100000")));
    }

    /**
     * A gateway of its own on {@code databaseUrl}, with extra settings; the caller closes it. Replicas of one
     * registry share their {@code ADMIN_PASSWORD} and {@code JWT_SECRET} by passing the same ones.
     */
    public static GatewayUnderTest start(String databaseUrl, Map<String, String> settings) {
        String password = settings.getOrDefault("ADMIN_PASSWORD", randomText(18));
        String jwtSecret = settings.getOrDefault("JWT_SECRET", randomText(33));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("DATABASE_URL", databaseUrl);
        properties.put("ADMIN_USER", ADMIN);
        properties.put("ADMIN_PASSWORD", password);
        properties.put("JWT_SECRET", jwtSecret);
        // Replicas of one registry in a test reach each other on loopback.
        properties.put("SWITCHBOARD_REPLICA_HOST", "127.0.0.1");
        properties.put("SWITCHBOARD_SECRET_KEY",
                KEYS.computeIfAbsent(databaseUrl, url -> Base64.getEncoder().encodeToString(randomBytes(32))));
        properties.putAll(settings);
        return new GatewayUnderTest(TestGateway.start(properties), password, jwtSecret.getBytes(StandardCharsets.UTF_8),
                databaseUrl);
    }

    public String databaseUrl() {
        return databaseUrl;
    }

    /** The administrator's password, for tests that sign in through a form as a person would. */
    public String adminPassword() {
        return adminPassword;
    }

    public <T> T bean(Class<T> type) {
        return gateway.bean(type);
    }

    /** The running application, to look at what it maps. */
    public org.springframework.context.ApplicationContext context() {
        return gateway.context();
    }

    public Database database() {
        return bean(Database.class);
    }

    /** Requests as the administrator, over HTTP Basic. */
    public Client admin() {
        String basic = Base64.getEncoder().encodeToString((ADMIN + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
        return new Client("Basic " + basic);
    }

    /** Requests with a JWT that holds only {@code scopes}. */
    public Client withScopes(String... scopes) {
        return new Client("Bearer " + jwt("tester", String.join(" ", scopes)));
    }

    /** Requests with a JWT for {@code subject} that holds only {@code scopes}. */
    public Client as(String subject, String... scopes) {
        return new Client("Bearer " + jwt(subject, String.join(" ", scopes)));
    }

    /** Requests with this bearer credential, such as an API token. */
    public Client bearer(String token) {
        return new Client("Bearer " + token);
    }

    /** Where the gateway listens: "http://127.0.0.1:port". */
    public String baseUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    /** Requests without credentials. */
    public Client anonymous() {
        return new Client(null);
    }

    /** An HS256 JWT that this gateway accepts, valid for five minutes. */
    public String jwt(String subject, String scope) {
        return TestJwts.hs256(jwtSecret, TestJwts.claims(subject, scope));
    }

    @Override
    public void close() {
        gateway.close();
    }

    /** HTTP to the gateway with one set of credentials. */
    public final class Client {
        private final String authorization;

        private Client(String authorization) {
            this.authorization = authorization;
        }

        /** The Authorization header this client sends, or null. */
        public String authorization() {
            return authorization;
        }

        public Reply get(String path) {
            return send("GET", path, null, Map.of());
        }

        public Reply post(String path, Object body) {
            return send("POST", path, body, Map.of());
        }

        public Reply put(String path, Object body, String ifMatch) {
            return send("PUT", path, body, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
        }

        public Reply patch(String path, Object body, String ifMatch) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/merge-patch+json");
            if (ifMatch != null) {
                headers.put("If-Match", ifMatch);
            }
            return send("PATCH", path, body, headers);
        }

        /** Patches what is at {@code path} as it is now: its current ETag, read first, is the PATCH's If-Match. */
        public Reply patchCurrent(String path, Object body) {
            return patch(path, body, get(path).etag());
        }

        public Reply delete(String path, String ifMatch) {
            return send("DELETE", path, null, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
        }

        /**
         * Sends any request. A String body is sent as it is; anything else as JSON. Content-Type is JSON unless
         * {@code headers} says otherwise.
         */
        public Reply send(String method, String path, Object body, Map<String, String> headers) {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            List<String> pairs = new ArrayList<>();
            headers.forEach((name, value) -> {
                pairs.add(name);
                pairs.add(value);
            });
            if (authorization != null) {
                pairs.add("Authorization");
                pairs.add(authorization);
            }
            try {
                return new Reply(gateway.send(method, path, text, pairs.toArray(String[]::new)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response, with its body parsed as JSON when it is JSON. */
    public record Reply(HttpResponse<String> response) {

        public int status() {
            return response.statusCode();
        }

        public String text() {
            return response.body();
        }

        public JsonNode json() {
            return JSON.readTree(response.body());
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String etag() {
            return header("ETag");
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** The problem's type slug, such as "validation-failed". */
        public String problemType() {
            String type = json().path("type").asString("");
            return type.substring(type.lastIndexOf('/') + 1);
        }

        public String id() {
            return json().get("id").asString();
        }

        public List<String> names() {
            return json().get("items").valueStream().map(n -> n.get("name").asString()).toList();
        }

        @Override
        public String toString() {
            return status() + " " + text();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String randomText(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(n));
    }
}
