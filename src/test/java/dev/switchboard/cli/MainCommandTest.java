package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.TestEngines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/** {@code java -jar switchboard.jar ...}: help, the version, mistakes refused with the usage, and Spring's arguments. */
class MainCommandTest {

    @Test
    void helpListsTheFourCommandsAndTheMainSettingsAndExits0() {
        for (String help : List.of("--help", "-h", "help")) {
            Run run = main(Map.of(), help);
            assertThat(run.outcome()).as(help).isEqualTo(new MainCommand.Exit(0));
            assertThat(run.err()).as(help).isEmpty();
            assertThat(run.out()).as(help).startsWith("Usage: java -jar switchboard.jar [command]")
                    .containsPattern("(?m)^  serve +\\S").containsPattern("(?m)^  db +\\S")
                    .containsPattern("(?m)^  secrets +\\S").containsPattern("(?m)^  token +\\S")
                    .contains("--version").contains("--verbose")
                    .contains("DATABASE_URL").contains("SERVER_PORT").contains("README");
            assertThat(run.verbosity()).as("no command ran").isEmpty();
        }
        assertThat(main(Map.of(), "--server.port=9090", "--help").outcome()).isEqualTo(new MainCommand.Exit(0));
    }

    @Test
    void theSettingsTheHelpNamesAreInTheReadmesConfigurationTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher named = Pattern.compile("(?m)^  ([A-Z][A-Z_]+[A-Z]) ").matcher(MainCommand.USAGE);
        List<String> settings = new ArrayList<>();
        while (named.find()) {
            settings.add(named.group(1));
        }
        assertThat(settings).contains("DATABASE_URL", "SERVER_PORT");
        for (String setting : settings) {
            assertThat(readme).as(setting + " in the README's table").contains("| `" + setting + "` |");
        }
    }

    @Test
    void versionPrintsThePomsVersion() throws Exception {
        String expected = "switchboard " + pomVersion() + "\n";
        for (String version : List.of("--version", "version")) {
            Run run = main(Map.of(), version);
            assertThat(run.outcome()).isEqualTo(new MainCommand.Exit(0));
            assertThat(run.out().replace(System.lineSeparator(), "\n")).isEqualTo(expected);
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void anUnknownCommandOrOptionExitsWith2AndTheUsageOnStandardError() {
        for (List<String> args : List.of(List.of("frobnicate"), List.of("--hepl"), List.of("-x"),
                List.of("serve", "extra"), List.of("--server.port=0", "--hepl"), List.of("help", "frobnicate"))) {
            Run run = main(Map.of(), args.toArray(String[]::new));
            assertThat(run.outcome()).as(args.toString()).isEqualTo(new MainCommand.Exit(2));
            assertThat(run.out()).as(args.toString()).isEmpty();
            assertThat(run.err()).as(args.toString()).startsWith("switchboard: ")
                    .contains("Usage: java -jar switchboard.jar [command]");
        }
        assertThat(main(Map.of(), "frobnicate").err()).startsWith("switchboard: unknown command 'frobnicate'\n");
        assertThat(main(Map.of(), "--hepl").err()).startsWith("switchboard: unknown option --hepl");
    }

    @Test
    void springsArgumentsPassThroughToServing() {
        assertThat(main(Map.of()).outcome()).isEqualTo(new MainCommand.Serve(List.of()));
        assertThat(main(Map.of(), "serve").outcome()).isEqualTo(new MainCommand.Serve(List.of()));
        assertThat(main(Map.of(), "--server.port=0", "--spring.profiles.active=x").outcome())
                .isEqualTo(new MainCommand.Serve(List.of("--server.port=0", "--spring.profiles.active=x")));
        assertThat(main(Map.of(), "serve", "--server.port=0", "--debug").outcome())
                .isEqualTo(new MainCommand.Serve(List.of("--server.port=0", "--debug")));
        assertThat(main(Map.of(), "--verbose", "--server.port=0").outcome())
                .as("serving logs at INFO anyway; Spring is not told")
                .isEqualTo(new MainCommand.Serve(List.of("--server.port=0")));
    }

    @Test
    void settingsThatServingWouldRefuseAreReportedInOneLineWithStatus2() {
        Run weak = main(Map.of("JWT_SECRET", "short-secret"), "--server.port=0");
        assertThat(weak.outcome()).isEqualTo(new MainCommand.Exit(2));
        assertThat(weak.err().lines().toList()).singleElement().asString()
                .startsWith("switchboard: JWT_SECRET is too short");
        Run badUrl = main(Map.of("DATABASE_URL", "oracle://u:Secret-1@h/db"));
        assertThat(badUrl.outcome()).isEqualTo(new MainCommand.Exit(2));
        assertThat(badUrl.err()).startsWith("switchboard: DATABASE_URL is not valid").doesNotContain("Secret-1");
    }

    @Test
    void eachCommandPrintsItsUsageOnHelpAndExits0() {
        for (String command : List.of("db", "secrets", "token")) {
            for (List<String> args : List.of(List.of(command, "--help"), List.of(command, "-h"),
                    List.of(command, "help"), List.of("help", command), List.of(command, "--verbose", "--help"))) {
                Run run = main(Map.of(), args.toArray(String[]::new));
                assertThat(run.outcome()).as(args.toString()).isEqualTo(new MainCommand.Exit(0));
                assertThat(run.out()).as(args.toString()).startsWith("Usage: java -jar switchboard.jar " + command)
                        .contains("--verbose");
                assertThat(run.err()).as(args.toString()).isEmpty();
            }
        }
    }

    @Test
    void anUnknownOptionOfACommandExitsWith2AndItsUsageOnStandardError() {
        for (List<String> args : List.of(List.of("db", "status", "--hepl"), List.of("secrets", "rotate", "--hepl"),
                List.of("token", "--hepl"), List.of("token", "extra"))) {
            Run run = main(Map.of("JWT_SECRET", "0123456789abcdef0123456789abcdef-main-command"),
                    args.toArray(String[]::new));
            assertThat(run.outcome()).as(args.toString()).isEqualTo(new MainCommand.Exit(2));
            assertThat(run.out()).as(args.toString()).isEmpty();
            assertThat(run.err()).as(args.toString()).startsWith("switchboard " + args.getFirst() + ": ")
                    .contains("Usage: java -jar switchboard.jar " + args.getFirst());
        }
    }

    @Test
    void verboseAnywhereInACommandsArgumentsSetsTheLoggingAndIsNotPassedOn() {
        String url = TestEngines.scratchDatabaseUrl();
        Run quiet = main(Map.of("DATABASE_URL", url), "db", "migrate");
        assertThat(quiet.outcome()).as(quiet.toString()).isEqualTo(new MainCommand.Exit(0));
        assertThat(quiet.verbosity()).containsExactly(false);

        for (List<String> args : List.of(List.of("db", "--verbose", "status"), List.of("db", "status", "--verbose"))) {
            Run verbose = main(Map.of("DATABASE_URL", url), args.toArray(String[]::new));
            assertThat(verbose.outcome()).as(verbose.toString()).isEqualTo(new MainCommand.Exit(0));
            assertThat(verbose.out()).contains("0 pending");
            assertThat(verbose.verbosity()).containsExactly(true);
        }
        Run token = main(Map.of("JWT_SECRET", "0123456789abcdef0123456789abcdef-main-command"), "token", "--verbose");
        assertThat(token.outcome()).as(token.toString()).isEqualTo(new MainCommand.Exit(0));
        assertThat(token.out().lines()).hasSize(1);
        assertThat(token.verbosity()).containsExactly(true);
    }

    /** Runs the main command in this JVM, recording the logging it asks for instead of changing this JVM's. */
    private static Run main(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Boolean> verbosity = new ArrayList<>();
        MainCommand.Outcome outcome = new MainCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), env::get,
                false, verbosity::add).run(List.of(args));
        return new Run(outcome, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                verbosity);
    }

    /** The project's own {@code <version>} in pom.xml: a direct child of {@code <project>}, not the parent's. */
    private static String pomVersion() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Node project = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
        for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeName().equals("version")) {
                return child.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no <version> of its own");
    }

    private record Run(MainCommand.Outcome outcome, String out, String err, List<Boolean> verbosity) {
        @Override
        public String toString() {
            return outcome + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
