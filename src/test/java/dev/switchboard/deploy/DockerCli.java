package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI, run as an operator runs it, against the engine DOCKER_HOST names (.ci/docker.sh starts a private
 * one and exports it). Where no engine answers, the tests that need one are skipped with a message that says so,
 * unless SWITCHBOARD_TEST_DOCKER_REQUIRED=true (as in .ci/run), which makes that a failure.
 */
final class DockerCli {

    /** The image under test: .ci/docker.sh builds it from this checkout's jar. */
    static final String IMAGE = env("SWITCHBOARD_TEST_IMAGE", "switchboard:local");
    private static final Duration COMMAND_DEADLINE = Duration.ofMinutes(4);

    private DockerCli() {
    }

    /** What a command printed (stdout and stderr together) and how it ended. */
    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Skips the calling test, with the reason, unless an engine answers and holds {@link #IMAGE}. */
    static void assumeEngineAndImage() {
        String missing = whatIsMissing();
        if (missing == null) {
            return;
        }
        if (Boolean.parseBoolean(System.getenv("SWITCHBOARD_TEST_DOCKER_REQUIRED"))) {
            fail(missing + " (SWITCHBOARD_TEST_DOCKER_REQUIRED=true, so this fails instead of being skipped)");
        }
        assumeTrue(false, missing + ": the Docker image and Compose tests are skipped. .ci/docker.sh starts an "
                + "engine and builds the images (it needs root and cgroups); SWITCHBOARD_TEST_DOCKER_REQUIRED=true "
                + "turns this skip into a failure.");
    }

    private static String whatIsMissing() {
        Result version;
        try {
            version = run(Map.of(), Duration.ofSeconds(20), "version", "--format", "{{.Server.Version}}");
        } catch (IOException noCli) {
            return "No docker command on this machine (" + noCli.getMessage() + ")";
        }
        if (!version.ok()) {
            return "No Docker engine answers at " + env("DOCKER_HOST", "the default socket") + " ("
                    + version.output().strip().lines().reduce((first, last) -> last).orElse("") + ")";
        }
        try {
            if (!run(Map.of(), Duration.ofSeconds(20), "image", "inspect", IMAGE).ok()) {
                return "The engine has no image " + IMAGE + " (build it with .ci/docker.sh, or docker build -t "
                        + IMAGE + " .)";
            }
        } catch (IOException e) {
            return "docker image inspect failed: " + e.getMessage();
        }
        return null;
    }

    /** Runs {@code docker args...} and fails with its output unless it exits 0; returns what it printed. */
    static String ok(String... args) throws IOException {
        return ok(Map.of(), args);
    }

    /** As {@link #ok(String...)}, with variables added to (or, when empty, removed from) the environment. */
    static String ok(Map<String, String> variables, String... args) throws IOException {
        Result result = run(variables, COMMAND_DEADLINE, args);
        if (!result.ok()) {
            throw new AssertionError("docker " + String.join(" ", args) + " exited with " + result.status()
                    + ":\n" + result.output());
        }
        return result.output();
    }

    /** Runs {@code docker args...}; a variable mapped to "" is removed from the inherited environment. */
    static Result run(Map<String, String> variables, Duration deadline, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("switchboard-docker-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            variables.forEach((name, value) -> {
                if (value.isEmpty()) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process = builder.start();
            try {
                if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("docker " + String.join(" ", args) + " did not end within " + deadline
                            + "; it printed:\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for docker " + String.join(" ", args), e);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Runs a clean-up command, reporting rather than throwing, so that one failed step does not skip the rest. */
    static void cleanUp(String... args) {
        try {
            Result result = run(Map.of(), COMMAND_DEADLINE, args);
            if (!result.ok()) {
                System.err.println("clean-up: docker " + String.join(" ", args) + " failed: " + result.output());
            }
        } catch (IOException | AssertionError e) {
            System.err.println("clean-up: docker " + String.join(" ", args) + " failed: " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
