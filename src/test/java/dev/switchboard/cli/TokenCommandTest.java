package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code switchboard token}: mints a JWT the gateway accepts, and refuses bad input in one line. */
class TokenCommandTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-token-command";

    @Test
    void mintsATokenThatARunningGatewayAccepts() throws Exception {
        Run run = token(Map.of("JWT_SECRET", SECRET), "--subject", "ci-bot", "--scopes", "tokens:manage,metrics:read",
                "--expires-in", "12h");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines().toList()).hasSize(1);
        JWTClaimsSet claims = SignedJWT.parse(run.out().trim()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("ci-bot");
        assertThat(claims.getAudience()).containsExactly("switchboard");
        assertThat(claims.getIssuer()).isEqualTo("switchboard");
        assertThat(claims.getStringClaim("scope")).isEqualTo("tokens:manage metrics:read");
        assertThat(claims.getExpirationTime().toInstant())
                .isBetween(Instant.now().plus(Duration.ofHours(12)).minusSeconds(60), Instant.now().plus(Duration.ofHours(12)));

        try (TestGateway gateway = TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(), "JWT_SECRET", SECRET))) {
            String bearer = "Bearer " + run.out().trim();
            assertThat(gateway.get("/v1/tokens", "Authorization", bearer).statusCode()).isEqualTo(200);
            assertThat(gateway.get("/metrics/prometheus", "Authorization", bearer).statusCode()).isEqualTo(200);
            // The defaults: subject admin, catalog:read only, an hour.
            String reader = "Bearer " + token(Map.of("JWT_SECRET", SECRET)).out().trim();
            assertThat(gateway.get("/v1/tokens", "Authorization", reader).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void audienceAndIssuerComeFromTheEnvironment() throws Exception {
        Run run = token(Map.of("JWT_SECRET", SECRET, "JWT_AUDIENCE", "api", "JWT_ISSUER", "https://sb.example"));
        JWTClaimsSet claims = SignedJWT.parse(run.out().trim()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("api");
        assertThat(claims.getIssuer()).isEqualTo("https://sb.example");
        assertThat(claims.getSubject()).isEqualTo("admin");
        assertThat(claims.getStringClaim("scope")).isEqualTo("catalog:read");
        assertThat(Duration.between(Instant.now(), claims.getExpirationTime().toInstant()))
                .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(60));
    }

    @Test
    void badInputExitsWith2AndOneLineOnStandardError() {
        Map<String, String> env = Map.of("JWT_SECRET", SECRET);
        List<Run> runs = List.of(
                token(Map.of()),
                token(Map.of("JWT_SECRET", "too-short")),
                token(env, "--scopes", "catalog:read,root"),
                token(env, "--scopes", ","),
                token(env, "--expires-in", "10y"),
                token(env, "--expires-in", "0m"),
                token(env, "--expires-in", "400d"),
                token(env, "--subject", " "));
        for (Run run : runs) {
            assertThat(run.status()).as(run.toString()).isEqualTo(2);
            assertThat(run.out()).as(run.toString()).isEmpty();
            assertThat(run.err().lines().toList()).as(run.toString()).singleElement().asString()
                    .startsWith("switchboard token: ");
        }
        assertThat(runs.get(0).err()).contains("JWT_SECRET is not set").contains("openssl rand -base64 32");
        assertThat(runs.get(1).err()).contains("JWT_SECRET is too short: 9 bytes").contains("openssl rand -base64 32")
                .doesNotContain("too-short");
    }

    @Test
    void anUnknownOptionOrAStrayWordExitsWith2AndTheUsage() {
        Map<String, String> env = Map.of("JWT_SECRET", SECRET);
        for (Run run : List.of(token(env, "--audience", "x"), token(env, "extra"))) {
            assertThat(run.status()).as(run.toString()).isEqualTo(2);
            assertThat(run.out()).as(run.toString()).isEmpty();
            assertThat(run.err()).as(run.toString()).startsWith("switchboard token: ")
                    .contains("Usage: java -jar switchboard.jar token");
        }
        assertThat(token(env, "--audience", "x").err()).startsWith("switchboard token: unknown option --audience\n");
    }

    @Test
    void helpPrintsTheUsageInEveryFormAndExits0() {
        for (String help : List.of("--help", "-h", "help")) {
            Run run = token(Map.of(), help);
            assertThat(run.status()).as(help).isZero();
            assertThat(run.out()).as(help).startsWith("Usage: java -jar switchboard.jar token");
            assertThat(run.err()).as(help).isEmpty();
        }
    }

    @Test
    void theJarPrintsOnlyTheTokenAndRefusesAWeakSecretBeforeServing() throws Exception {
        Finished minted = java(Map.of("JWT_SECRET", SECRET), "token", "--scopes", "admin");
        assertThat(minted.status()).as(minted.err()).isZero();
        assertThat(minted.out().lines().toList()).singleElement().asString().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        Finished weak = java(Map.of("JWT_SECRET", "short-secret"), "token");
        assertThat(weak.status()).isEqualTo(2);
        assertThat(weak.out()).isEmpty();
        assertThat(weak.err().lines().toList()).containsExactly("switchboard token: JWT_SECRET is too short: 12 bytes, "
                + "and HS256 needs at least 32. Make one with: openssl rand -base64 32");

        // Serving refuses it too, in one line, before anything starts.
        Finished serve = java(Map.of("JWT_SECRET", "short-secret"));
        assertThat(serve.status()).isEqualTo(2);
        assertThat(serve.err().lines().toList()).containsExactly("switchboard: JWT_SECRET is too short: 12 bytes, "
                + "and HS256 needs at least 32. Make one with: openssl rand -base64 32");
    }

    private static Run token(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new TokenCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get).run(List.of(args));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Finished java(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Switchboard.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("JWT_") || k.startsWith("ADMIN_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Finished(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Run(int status, String out, String err) {
    }

    private record Finished(int status, String out, String err) {
    }
}
