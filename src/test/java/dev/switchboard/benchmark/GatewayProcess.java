package dev.switchboard.benchmark;

import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestJwts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway as an operator runs it: its own JVM, started by a {@link Launch} (plain {@code java -jar}, or as the
 * image runs it), on a database URL, with credentials the suite holds.
 * It knows how long it took to answer /ready and how long its migration took (from its log).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern MIGRATED = Pattern.compile("Schema migrated: \\d+ changeset\\(s\\) applied in (\\d+) ms");
    private static final Pattern DATABASE = Pattern.compile("Database: (.+?) at ");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final ChildProcess process;
    private final int port;
    private final String jwtSecret;
    private final Duration ready;

    private GatewayProcess(ChildProcess process, int port, String jwtSecret, Duration ready) {
        this.process = process;
        this.port = port;
        this.jwtSecret = jwtSecret;
        this.ready = ready;
    }

    /** Starts a gateway on {@code databaseUrl} and waits until /ready answers 200. */
    public static GatewayProcess start(Launch launch, String databaseUrl, String secretKey, Path log) {
        return start(launch, databaseUrl, secretKey, randomText(33), Map.of(), log);
    }

    /** Starts a gateway on {@code databaseUrl} with {@code settings} added to its environment. */
    public static GatewayProcess start(Launch launch, String databaseUrl, String secretKey,
                                       Map<String, String> settings, Path log) {
        return start(launch, databaseUrl, secretKey, randomText(33), settings, log);
    }

    /** What the replicas of one registry share: its secret key, the JWT secret and the administrator's password. */
    public record SharedSecrets(String secretKey, String jwtSecret, String adminPassword) {

        public static SharedSecrets fresh() {
            return new SharedSecrets(newSecretKey(), randomText(33), randomText(18));
        }
    }

    /**
     * Starts one replica of a registry that several share: a client's token is good on each, and they reach each
     * other on loopback.
     */
    public static GatewayProcess startReplica(Launch launch, String databaseUrl, SharedSecrets secrets, Path log) {
        return start(launch, databaseUrl, secrets.secretKey(), secrets.jwtSecret(), Map.of("ADMIN_PASSWORD",
                secrets.adminPassword(), "SWITCHBOARD_REPLICA_HOST", "127.0.0.1"), log);
    }

    private static GatewayProcess start(Launch launch, String databaseUrl, String secretKey, String jwtSecret,
                                        Map<String, String> more, Path log) {
        int port = LoopbackPorts.free();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("ADMIN_USER", "admin");
        env.put("ADMIN_PASSWORD", randomText(18));
        env.put("JWT_SECRET", jwtSecret);
        env.put("SWITCHBOARD_SECRET_KEY", secretKey);
        env.putAll(more);
        long started = System.nanoTime();
        ChildProcess process = ChildProcess.start(launch.command(), env, log);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway ended before it was ready; its log:\n" + process.logText());
            }
            if (Instant.now().isAfter(deadline)) {
                process.close();
                throw new IllegalStateException("the gateway was not ready in 2 minutes; its log:\n"
                        + process.logText());
            }
            if (readyAnswers(port)) {
                return new GatewayProcess(process, port, jwtSecret, Duration.ofNanos(System.nanoTime() - started));
            }
            sleep(10);
        }
    }

    /** A fresh random key for SWITCHBOARD_SECRET_KEY; one per database, since the registry is sealed with it. */
    public static String newSecretKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** From starting the JVM to the first 200 from /ready. */
    public Duration ready() {
        return ready;
    }

    /** How long this start's migration took, from the gateway's log; empty when nothing was migrated. */
    public Optional<Duration> migration() {
        Matcher matcher = MIGRATED.matcher(process.logText());
        return matcher.find() ? Optional.of(Duration.ofMillis(Long.parseLong(matcher.group(1)))) : Optional.empty();
    }

    /** The engine and version the gateway reported at start, e.g. "PostgreSQL 15.14". */
    public String databaseDescription() {
        Matcher matcher = DATABASE.matcher(process.logText());
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public ChildProcess process() {
        return process;
    }

    /** An Authorization header with a JWT for every scope the suite uses, valid for two hours. */
    public String authorization() {
        return "Bearer " + TestJwts.hs256(jwtSecret, TestJwts.claims("benchmark", "mcp:use catalog:read catalog:write")
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(2)))));
    }

    /** A REST request to the gateway; fails unless the status is {@code expected}. */
    public JsonNode send(String method, String path, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofMinutes(1)).header("Authorization", authorization());
            if (body != null) {
                request.header("Content-Type", "application/json");
                if (!method.equals("POST")) {
                    request.header("If-Match", "*");
                }
                request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = HTTP.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }

    private static boolean readyAnswers(int port) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Time passing on the load generator's side: a quiet gateway settling, or the 10 ms step of the ready poll, which
     * is the resolution of the time-to-ready figure (a condition-wait library would add its own overhead to it).
     */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String randomText(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
