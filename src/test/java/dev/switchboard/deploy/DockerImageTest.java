package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built image, started as `docker run` starts it: a non-root user, SQLite and the generated key on the /data
 * volume, a health check that turns healthy, /ready, the AOT cache, and a tool called through /mcp. Its start-up
 * time (from `docker run` to /ready answering 200) and idle memory are printed and written to
 * target/docker-image-figures.txt, for docs/deployment.md.
 */
class DockerImageTest {

    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Pattern MEMORY = Pattern.compile("^([0-9.]+)([KMG]i?B)");

    @Test
    void theImageRunsAsUid10001OnItsVolumeTurnsHealthyAndServesMcpFromItsAotCache() throws Exception {
        DockerCli.assumeEngineAndImage();
        String name = "switchboard-image-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try {
            long started = System.nanoTime();
            DockerCli.ok("run", "-d", "--name", name, "-p", "127.0.0.1::8080", "-v", name + ":/data",
                    DockerCli.IMAGE);
            String port = DockerCli.ok("port", name, "8080/tcp").lines().findFirst().orElseThrow().strip();
            ContainerGateway anonymous = new ContainerGateway(port, null);
            anonymous.awaitReady(STARTUP, () -> running(name), () -> logs(name));
            long startupMillis = (System.nanoTime() - started) / 1_000_000;
            String log = logs(name);
            ContainerGateway gateway = anonymous.as(ContainerGateway.generatedPassword(log));

            // The JVM opened the AOT cache the image's training run made (the entry point's -Xlog line).
            assertThat(log).containsPattern("\\[aot\\].*(Opened|Using) AOT cache /app/switchboard.aot");
            assertThat(DockerCli.ok("exec", name, "id", "-u").strip()).isEqualTo("10001");
            // SQLite and the generated key file, written by uid 10001 to the volume.
            assertThat(DockerCli.ok("exec", name, "stat", "-c", "%u %n", "/data/switchboard.db",
                    "/data/switchboard-secret.key").lines())
                    .containsExactly("10001 /data/switchboard.db", "10001 /data/switchboard-secret.key");

            gateway.registerHealthTool("image_health");
            assertThat(gateway.callTool("image_health")).contains("\"isError\":false").contains("UP");

            // The image's own HEALTHCHECK (every 15 s) turns the container healthy.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "healthy".equals(health(name)));
            double idleMib = memoryMib(DockerCli.ok("stats", "--no-stream", "--format", "{{.MemUsage}}", name));
            record(startupMillis, idleMib);
        } finally {
            DockerCli.cleanUp("rm", "-f", "-v", name);
            DockerCli.cleanUp("volume", "rm", "-f", name);
        }
    }

    private static boolean running(String name) {
        try {
            return "true".equals(DockerCli.ok("inspect", "-f", "{{.State.Running}}", name).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String health(String name) throws IOException {
        return DockerCli.ok("inspect", "-f", "{{.State.Health.Status}}", name).strip();
    }

    private static String logs(String name) {
        try {
            return DockerCli.ok("logs", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** `docker stats`' "351.2MiB / 7.6GiB", in MiB. */
    private static double memoryMib(String usage) {
        Matcher m = MEMORY.matcher(usage.strip());
        assertThat(m.find()).as("docker stats printed " + usage).isTrue();
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "KiB", "KB" -> value / 1024;
            case "GiB", "GB" -> value * 1024;
            default -> value;
        };
    }

    private static void record(long startupMillis, double idleMib) throws IOException {
        String figures = String.format(Locale.ROOT, "image %s: docker run to /ready 200 in %.1f s; idle memory %.0f MiB",
                DockerCli.IMAGE, startupMillis / 1000.0, idleMib);
        System.out.println(figures);
        Path target = Files.createDirectories(Path.of("target"));
        Files.writeString(target.resolve("docker-image-figures.txt"), figures + "\n", StandardCharsets.UTF_8);
    }
}
