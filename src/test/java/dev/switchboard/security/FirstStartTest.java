package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Switchboard;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestSecretKeys;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A first start with nothing configured, on every engine: the gateway generates the administrator's password (printed
 * once, stored as a hash, checked by HTTP Basic and the sign-in page) and, on a server engine too, a key file in its
 * data directory; the registry records which key it is sealed under and refuses a gateway with another.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartTest {

    private static final Pattern BANNER = Pattern.compile(Pattern.quote(AdminPassword.BANNER) + "admin: (\\S+)");
    private static final String OTHER_KEY = TestSecretKeys.OTHER;

    @EngineTest
    void theFirstStartPrintsAGeneratedPasswordOnceThatHttpBasicAndTheSignInPageAccept(TestEngine engine,
            @TempDir Path dir, CapturedOutput output) throws Exception {
        Map<String, String> env = nothingConfigured(engine, dir);
        String password;
        try (TestGateway gateway = TestGateway.start(env)) {
            password = onlyBanner(output.getOut());
            assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("admin", password)).statusCode())
                    .isEqualTo(200);
            assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("admin", password + "x"))
                    .statusCode()).isEqualTo(401);
            assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("root", password)).statusCode())
                    .isEqualTo(401);
            assertThat(signIn(gateway.port(), "admin", password)).as("the sign-in page").isTrue();
            assertThat(signIn(gateway.port(), "admin", "not-" + password)).isFalse();
        }
        try (Database db = Database.open(DatabaseSettings.forUrl(env.get("DATABASE_URL")))) {
            String stored = db.dsl().select(DSL.field("value", String.class)).from("registry_setting")
                    .where(DSL.field("name").eq(RegistrySettings.ADMIN_PASSWORD_HASH)).fetchSingle().value1();
            assertThat(stored).startsWith("{bcrypt}$2").doesNotContain(password);
        }
        // A later start prints nothing, and the password still works.
        int printed = output.getOut().length();
        try (TestGateway gateway = TestGateway.start(env)) {
            assertThat(output.getOut().substring(printed)).doesNotContain(AdminPassword.BANNER).doesNotContain(password);
            assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("admin", password)).statusCode())
                    .isEqualTo(200);
        }
        // ADMIN_PASSWORD wins over the stored one, for HTTP Basic and the sign-in page alike.
        Map<String, String> explicit = new LinkedHashMap<>(env);
        explicit.put("ADMIN_PASSWORD", "set-by-the-operator");
        try (TestGateway gateway = TestGateway.start(explicit)) {
            assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("admin", "set-by-the-operator"))
                    .statusCode()).isEqualTo(200);
            assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("admin", password)).statusCode())
                    .isEqualTo(401);
            assertThat(signIn(gateway.port(), "admin", "set-by-the-operator")).isTrue();
            assertThat(signIn(gateway.port(), "admin", password)).isFalse();
        }
        assertThat(output.getOut().lines().filter(l -> l.contains(AdminPassword.BANNER))).hasSize(1);
    }

    @EngineTest
    void twoGatewaysStartingAtOnceOnAServerEngineGenerateOnePassword(TestEngine engine, @TempDir Path dir,
            CapturedOutput output) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return; // a SQLite database serves one gateway (SqliteSingleGatewayTest)
        }
        Map<String, String> env = new LinkedHashMap<>(nothingConfigured(engine, dir));
        // Replicas share a key; the password is what they race for.
        env.put("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY);
        CompletableFuture<TestGateway> first = CompletableFuture.supplyAsync(() -> TestGateway.start(env));
        CompletableFuture<TestGateway> second = CompletableFuture.supplyAsync(() -> TestGateway.start(env));
        try (TestGateway a = first.get(3, TimeUnit.MINUTES); TestGateway b = second.get(3, TimeUnit.MINUTES)) {
            String password = onlyBanner(output.getOut());
            for (TestGateway gateway : List.of(a, b)) {
                assertThat(gateway.get("/v1/servers", "Authorization", TestGateway.basic("admin", password))
                        .statusCode()).isEqualTo(200);
            }
        }
    }

    @EngineTest
    void withoutAKeyEveryEngineKeepsAKeyFileAndAGatewayWithAnotherKeyIsRefused(TestEngine engine, @TempDir Path dir,
            CapturedOutput output) throws Exception {
        Map<String, String> env = nothingConfigured(engine, dir);
        boolean embedded = Dialect.of(engine.engine()).embedded();
        Path keyFile = embedded
                ? Path.of(env.get("DATABASE_URL").substring("sqlite:///".length())).resolveSibling("switchboard-secret.key")
                : dir.resolve("data/switchboard-secret.key");
        String sealed;
        try (TestGateway gateway = TestGateway.start(env)) {
            sealed = gateway.bean(SecretCipher.class).encrypt("upstream-token");
        }
        assertThat(keyFile).exists();
        EncryptionKey key = EncryptionKey.parse("the file", Files.readString(keyFile));
        assertThat(sealed).startsWith("v1:" + key.id() + ":");
        assertThat(output.getOut()).contains("Created the key file " + keyFile + " (key " + key.id() + ")")
                .contains("The registry's secrets are sealed under key " + key.id());
        try (Database db = Database.open(DatabaseSettings.forUrl(env.get("DATABASE_URL")))) {
            String fingerprint = db.dsl().select(DSL.field("value", String.class)).from("registry_setting")
                    .where(DSL.field("name").eq(RegistrySettings.SECRET_KEY_FINGERPRINT)).fetchSingle().value1();
            assertThat(fingerprint).isEqualTo(SecretKeyFingerprint.of(key)).startsWith("hmac-sha256:v1:")
                    .doesNotContain(key.encoded()).doesNotContain(key.id());
        }
        // A restart reads the same file and opens what the first run sealed.
        try (TestGateway gateway = TestGateway.start(env)) {
            assertThat(gateway.bean(SecretCipher.class).decrypt(sealed)).isEqualTo("upstream-token");
        }

        // Another key, given or generated by a gateway with its own data directory, is refused in one paragraph.
        Map<String, String> otherKey = new LinkedHashMap<>(env);
        otherKey.put("SWITCHBOARD_SECRET_KEY", OTHER_KEY);
        Map<String, String> ownKeyFile = new LinkedHashMap<>(env);
        ownKeyFile.put("SWITCHBOARD_DATA_DIR", dir.resolve("replica-data").toString());
        for (Map<String, String> refused : embedded ? List.of(otherKey) : List.of(otherKey, ownKeyFile)) {
            SecretKeyStartupTest.Started run = SecretKeyStartupTest.runEntryPoint(refused, dir);
            assertThat(run.status()).as(run.stdout()).isNotZero();
            assertThat(run.stdout()).contains("APPLICATION FAILED TO START")
                    .contains("The registry's stored secrets are sealed under another key than this gateway's key")
                    .contains("set " + SecretKeySettings.KEY + " to the key the other gateways use");
            assertThat(run.stdout().lines()).noneMatch(l -> l.matches("\\s+at .*") || l.startsWith("Caused by"));
        }
        // While a rotation is under way, the old key names the registry's key: the gateway starts.
        Map<String, String> rotating = new LinkedHashMap<>(otherKey);
        rotating.put("SWITCHBOARD_OLD_SECRET_KEY", key.encoded());
        try (TestGateway gateway = TestGateway.start(rotating)) {
            assertThat(gateway.bean(SecretCipher.class).decrypt(sealed)).isEqualTo("upstream-token");
        }
    }

    @EngineTest
    void aRegistryFromBeforeTheFingerprintRecordsTheCurrentKeysAtStart(TestEngine engine, @TempDir Path dir)
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>(nothingConfigured(engine, dir));
        env.put("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY);
        try (TestGateway gateway = TestGateway.start(env)) {
            assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);
        }
        try (Database db = Database.open(DatabaseSettings.forUrl(env.get("DATABASE_URL")))) {
            db.dsl().deleteFrom(DSL.table("registry_setting"))
                    .where(DSL.field("name").eq(RegistrySettings.SECRET_KEY_FINGERPRINT)).execute();
        }
        try (TestGateway gateway = TestGateway.start(env)) {
            assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);
        }
        try (Database db = Database.open(DatabaseSettings.forUrl(env.get("DATABASE_URL")))) {
            assertThat(db.dsl().select(DSL.field("value", String.class)).from("registry_setting")
                    .where(DSL.field("name").eq(RegistrySettings.SECRET_KEY_FINGERPRINT)).fetchSingle().value1())
                    .isEqualTo(SecretKeyFingerprint.of(EncryptionKey.parse("k", TestSecretKeys.KEY)));
        }
        Map<String, String> other = new LinkedHashMap<>(env);
        other.put("SWITCHBOARD_SECRET_KEY", OTHER_KEY);
        assertThatThrownBy(() -> TestGateway.start(other).close()).hasRootCauseInstanceOf(SecretKeyMismatchException.class);
    }

    /** A fresh database, a data directory of the test's own, and neither a key nor an administrator password. */
    private static Map<String, String> nothingConfigured(TestEngine engine, Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_URL", engine.newDatabaseUrl());
        env.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());
        env.put("SWITCHBOARD_SECRET_KEY", ""); // TestGateway would otherwise supply one
        return env;
    }

    /** The one generated password the output holds; fails unless exactly one banner was printed. */
    private static String onlyBanner(String output) {
        List<String> banners = output.lines().filter(l -> l.contains(AdminPassword.BANNER)).toList();
        assertThat(banners).hasSize(1);
        Matcher matcher = BANNER.matcher(banners.getFirst());
        assertThat(matcher.find()).as(banners.getFirst()).isTrue();
        return matcher.group(1);
    }

    /** Signs in on the built-in authorization server's login page, as a browser does: true when it let us in. */
    private static boolean signIn(int port, String user, String password) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"")
                .matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String token = csrf.group(1) != null ? csrf.group(1) : csrf.group(2);
        String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(token);
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isIn(302, 303);
        return !answer.headers().firstValue("Location").orElseThrow().contains("error");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
