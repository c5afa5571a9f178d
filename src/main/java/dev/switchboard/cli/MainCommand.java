package dev.switchboard.cli;

import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.DatabaseStartupException;
import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.protocol.Implementation;
import dev.switchboard.security.SecuritySettings;
import dev.switchboard.settings.InvalidSettingException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code java -jar switchboard.jar [command] ...}: what the first words ask for. Help, the version and the
 * {@code db}, {@code secrets} and {@code token} commands run here and end in an exit status; serving (no command,
 * or {@code serve}) ends in the arguments to hand to Spring, once the settings it would refuse have been checked.
 */
public final class MainCommand {

    static final String USAGE = """
            Usage: java -jar switchboard.jar [command] [options]
            Commands:
              serve      run the gateway (the default); --name=value arguments are Spring properties,
                         such as --server.port=9090
              db         operate the registry's database: status, migrate, rollback, doctor, copy
              secrets    re-encrypt the stored upstream credentials under a new key: secrets rotate
              token      mint a JWT signed with JWT_SECRET, for scripts and the first login
            `java -jar switchboard.jar <command> --help` lists a command's options.
            Options:
              -h, --help   this text
              --version    print the version
              --verbose    with db, secrets and token: the libraries' INFO logs too (by default only warnings)
            Main settings, as environment variables:
              DATABASE_URL             which database (default: %s)
              SERVER_PORT              the HTTP port (default: 8080)
              ADMIN_PASSWORD           the administrator's password; HTTP Basic login is on when it is set
              JWT_SECRET               accept JWTs signed with this secret (`token` signs with it)
              SWITCHBOARD_SECRET_KEY   encrypts the stored upstream credentials (make one with
                                       openssl rand -base64 32)
            Every setting is in the README's Configuration table and in docs/.""".formatted(DatabaseUrl.DEFAULT);

    /** Arguments Spring Boot takes without a value; any other option must be --name=value. */
    private static final Set<String> SPRING_FLAGS = Set.of("--debug", "--trace");
    private static final String VERBOSE = "--verbose";
    /** The commands that have options of their own. */
    private static final Set<String> COMMANDS = Set.of("db", "secrets", "token");

    /** What the command line asked for. */
    public sealed interface Outcome permits Exit, Serve {
    }

    /** Done: the process exits with this status. */
    public record Exit(int status) implements Outcome {
    }

    /** Serve the gateway, passing these arguments to Spring. */
    public record Serve(List<String> springArgs) implements Outcome {
        public Serve {
            springArgs = List.copyOf(springArgs);
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Function<String, String> env;
    private final boolean terminal;
    private final Consumer<Boolean> logging;

    /**
     * @param env      settings by name: the environment, or system properties of the same name
     * @param terminal whether a person is watching (progress bars, questions)
     * @param logging  sets the libraries' log levels before a command runs, given whether --verbose was passed
     */
    public MainCommand(PrintStream out, PrintStream err, InputStream in, Function<String, String> env,
                       boolean terminal, Consumer<Boolean> logging) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.terminal = terminal;
        this.logging = logging;
    }

    public Outcome run(List<String> args) {
        if (args.isEmpty()) {
            return serve(args);
        }
        String first = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (first) {
            case "help", "--help", "-h" -> helpFor(rest);
            case "version", "--version" -> version();
            case "serve" -> serve(rest);
            case "db" -> command(rest, cmd -> new DatabaseCommand(out, err, in, env, terminal).run(cmd));
            case "secrets" -> command(rest, cmd -> new SecretsCommand(out, err, env).run(cmd));
            case "token" -> command(rest, cmd -> new TokenCommand(out, err, env).run(cmd));
            default -> first.startsWith("-") ? serve(args) : refuse("unknown command '" + first + "'");
        };
    }

    /** {@code help db} is {@code db --help}; {@code --help} with Spring's arguments is help. */
    private Outcome helpFor(List<String> rest) {
        if (!rest.isEmpty() && COMMANDS.contains(rest.getFirst())) {
            return run(List.of(rest.getFirst(), "--help"));
        }
        if (!rest.isEmpty() && !rest.getFirst().startsWith("-") && !rest.getFirst().equals("serve")) {
            return refuse("unknown command '" + rest.getFirst() + "'");
        }
        return help();
    }

    private Exit help() {
        out.println(USAGE);
        return new Exit(0);
    }

    private Exit version() {
        out.println("switchboard " + Implementation.version());
        return new Exit(0);
    }

    /** A subcommand, with --verbose taken out of its arguments wherever it stands. */
    private Exit command(List<String> args, Function<List<String>, Integer> command) {
        List<String> without = new ArrayList<>(args);
        boolean verbose = without.removeIf(VERBOSE::equals);
        logging.accept(verbose);
        return new Exit(command.apply(without));
    }

    private Outcome serve(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            return help();
        }
        if (args.contains("--version")) {
            return version();
        }
        List<String> springArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(VERBOSE)) {
                continue; // the gateway logs at INFO anyway
            }
            if (!(arg.startsWith("--") && arg.indexOf('=') > 2) && !SPRING_FLAGS.contains(arg)) {
                return refuse(arg.startsWith("-") ? "unknown option " + arg + " (Spring properties are --name=value)"
                        : "unexpected argument '" + arg + "'");
            }
            springArgs.add(arg);
        }
        try {
            // A malformed DATABASE_URL, pool setting, weak JWT secret or unreadable key: one line, before anything starts.
            DatabaseUrl.parse(DatabaseSettings.from(env).url());
            SecuritySettings.from(env);
        } catch (DatabaseStartupException | InvalidSettingException e) {
            err.println("switchboard: " + e.getMessage());
            return new Exit(2);
        }
        return new Serve(springArgs);
    }

    private Exit refuse(String message) {
        err.println("switchboard: " + message);
        err.println(USAGE);
        return new Exit(2);
    }
}
