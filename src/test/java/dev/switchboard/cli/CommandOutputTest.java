package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees from the jar's commands, run as processes with their output going to files or pipes (not a
 * terminal): the command's own lines only, unless --verbose asks for the libraries' INFO logs, which go to stderr.
 */
class CommandOutputTest {

    private static final Pattern VERIFIED = Pattern.compile("(?m)^Verified (\\d+) tables");
    private static final Pattern PROGRESS = Pattern.compile("^\\S+\\s+\\d+/\\d+ rows \\(.*");

    @TempDir
    Path folder;

    @Test
    void migrateAndCopyPrintOnlyTheirOwnLines() throws Exception {
        String source = sqliteUrl("source");
        Finished migrate = run("db", "migrate", "--url", source);
        assertThat(migrate.status()).as(migrate.toString()).isZero();
        assertThat(migrate.err()).as(migrate.toString()).isEmpty();
        assertThat(migrate.out().lines().toList()).as(migrate.toString()).hasSize(3)
                .first().asString().startsWith("Engine:");

        Finished copy = run("db", "copy", "--from", source, "--to", sqliteUrl("target"));
        assertThat(copy.status()).as(copy.toString()).isZero();
        assertThat(copy.err()).as(copy.toString()).isEmpty();
        Matcher verified = VERIFIED.matcher(copy.out());
        assertThat(verified.find()).as(copy.toString()).isTrue();
        // Two lines naming source and target, one a table (and the progress of a table with rows: the migration's
        // default team), and the verdict: nothing from Liquibase, Hikari or JDBC.
        assertThat(copy.out().lines().filter(line -> !PROGRESS.matcher(line).matches()).toList()).as(copy.toString())
                .hasSize(Integer.parseInt(verified.group(1)) + 3)
                .noneMatch(line -> line.contains("INFO") || line.toLowerCase().contains("liquibase"));
    }

    @Test
    void verboseAddsTheLibrariesInfoLinesOnStandardErrorAndLeavesStandardOutputAlone() throws Exception {
        Finished migrate = run("db", "--verbose", "migrate", "--url", sqliteUrl("verbose"));
        assertThat(migrate.status()).as(migrate.toString()).isZero();
        assertThat(migrate.out().lines().toList()).as(migrate.toString()).hasSize(3);
        assertThat(migrate.err()).as("Liquibase's and Hikari's INFO lines")
                .contains("INFO: Running Changeset: ").contains("INFO com.zaxxer.hikari");
    }

    private String sqliteUrl(String name) {
        return "sqlite:///" + folder.resolve(name + ".db").toAbsolutePath();
    }

    private static Finished run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Switchboard.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Both pipes are drained while the process runs, so neither can fill up and stall it.
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command ended").isTrue();
        return new Finished(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private record Finished(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
