package dev.switchboard.cli;

import dev.switchboard.persistence.CopyException;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseDoctor;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.DatabaseStartupException;
import dev.switchboard.persistence.MigrationException;
import dev.switchboard.persistence.RegistryCopy;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.persistence.SchemaStatus;
import dev.switchboard.settings.InvalidSettingException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** {@code switchboard db status|migrate|rollback|doctor|copy}: operating the registry's database without SQL. */
public final class DatabaseCommand {

    static final String USAGE = """
            Usage: java -jar switchboard.jar db <command> [options]
              status                        the engine, its version, and the applied and pending changesets
              migrate                       apply every pending changeset
              rollback --count N [--yes]    roll back the last N changesets (asks first, unless --yes)
              doctor                        check the engine's settings and say what to change
              copy --from URL --to URL [--truncate] [--batch-size N]
                                            copy the whole registry between two databases, any engines
            status, migrate, rollback and doctor use DATABASE_URL, or --url URL.
            --verbose shows the libraries' INFO logs too, on standard error (by default only warnings).""";

    /** Rollback refuses rather than waits when another process is migrating. */
    private static final Duration ROLLBACK_LOCK_WAIT = Duration.ofSeconds(2);
    private static final int DEFAULT_BATCH = 500;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Function<String, String> env;
    private final boolean terminal;

    /**
     * @param env      the environment (DATABASE_URL, DB_POOL_*)
     * @param terminal whether a person is watching: draws progress bars and may ask for confirmation
     */
    public DatabaseCommand(PrintStream out, PrintStream err, InputStream in, Function<String, String> env,
                           boolean terminal) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.terminal = terminal;
    }

    /** Runs the command; returns the exit status: 0 done, 1 failed, 2 called wrongly. */
    public int run(List<String> args) {
        try {
            if (CommandLine.asksForHelp(args)) {
                out.println(USAGE);
                return 0;
            }
            if (args.isEmpty()) {
                throw new CommandLine.UsageException("name a command");
            }
            List<String> rest = args.subList(1, args.size());
            return switch (args.getFirst()) {
                case "status" -> status(new CommandLine(rest, Set.of("url"), Set.of()));
                case "migrate" -> migrate(new CommandLine(rest, Set.of("url"), Set.of()));
                case "rollback" -> rollback(new CommandLine(rest, Set.of("url", "count"), Set.of("yes")));
                case "doctor" -> doctor(new CommandLine(rest, Set.of("url"), Set.of()));
                case "copy" -> copy(new CommandLine(rest, Set.of("from", "to", "batch-size"), Set.of("truncate")));
                default -> throw new CommandLine.UsageException("unknown command '" + args.getFirst() + "'");
            };
        } catch (CommandLine.UsageException e) {
            err.println("switchboard db: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (DatabaseStartupException | InvalidSettingException | MigrationException | CopyException e) {
            err.println("switchboard db: " + e.getMessage());
            return 1;
        }
    }

    private int status(CommandLine cmd) {
        try (Database db = open(cmd, settings(cmd))) {
            SchemaMigrator migrator = new SchemaMigrator(db);
            SchemaStatus status = migrator.status();
            describe(db);
            out.printf("Schema:    %d changesets in this build: %d applied, %d pending%n", status.known(),
                    status.known() - status.pending().size(), status.pending().size());
            for (String id : migrator.knownChangesets()) {
                out.printf("  %-8s %s%n", status.pending().contains(id) ? "pending" : "applied", changeset(id));
            }
            for (String id : status.unknown()) {
                out.printf("  %-8s %s (applied by a newer build)%n", "unknown", changeset(id));
            }
            return 0;
        }
    }

    private int migrate(CommandLine cmd) {
        try (Database db = open(cmd, settings(cmd))) {
            describe(db);
            int applied = new SchemaMigrator(db).migrate();
            out.println(applied == 0 ? "The schema was already current." : "Applied " + applied + " changeset(s); "
                    + "the schema is current.");
            return 0;
        }
    }

    private int rollback(CommandLine cmd) {
        int count = cmd.positiveInt("count", 0);
        if (count == 0) {
            throw new CommandLine.UsageException("--count is required");
        }
        DatabaseSettings impatient = settings(cmd).withMigrationLockTimeout(ROLLBACK_LOCK_WAIT);
        try (Database db = open(cmd, impatient)) {
            SchemaMigrator migrator = new SchemaMigrator(db);
            SchemaStatus status = migrator.status();
            List<String> applied = migrator.knownChangesets().stream()
                    .filter(id -> !status.pending().contains(id)).toList();
            if (count > applied.size()) {
                err.println("switchboard db: only " + applied.size() + " changeset(s) are applied; cannot roll back "
                        + count);
                return 1;
            }
            List<String> undone = applied.subList(applied.size() - count, applied.size()).reversed();
            describe(db);
            out.println("Rolling back " + count + " changeset(s), newest first:");
            undone.forEach(id -> out.println("  " + changeset(id)));
            if (!cmd.flag("yes") && !confirmed()) {
                err.println("switchboard db: rollback not confirmed; nothing was changed (pass --yes to skip the "
                        + "question)");
                return 1;
            }
            try {
                migrator.rollback(count);
            } catch (MigrationException e) {
                if (e.getMessage().contains("migration lock")) {
                    err.println("switchboard db: refusing to roll back: another process holds the migration lock "
                            + "(it is migrating this database); try again when it has finished");
                    return 1;
                }
                throw e;
            }
            out.println("Rolled back " + count + " changeset(s).");
            return 0;
        }
    }

    private boolean confirmed() {
        if (!terminal) {
            err.println("switchboard db: no terminal to confirm on");
            return false;
        }
        out.print("Type 'yes' to roll back: ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.trim().equalsIgnoreCase("yes");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private int doctor(CommandLine cmd) {
        try (Database db = open(cmd, settings(cmd))) {
            describe(db);
            List<DatabaseDoctor.Finding> findings;
            try {
                findings = DatabaseDoctor.examine(db, settings(cmd));
            } catch (SQLException e) {
                err.println("switchboard db: the checks could not run: " + e.getMessage());
                return 1;
            }
            boolean failed = false;
            for (DatabaseDoctor.Finding f : findings) {
                out.printf("%-5s %-38s %s%n", f.verdict(), f.check(), f.observed());
                if (f.advice() != null) {
                    out.printf("      -> %s%n", f.advice());
                }
                failed |= f.verdict() == DatabaseDoctor.Verdict.FAIL;
            }
            out.println(failed ? "Something must change: see FAIL above." : "Nothing must change.");
            return failed ? 1 : 0;
        }
    }

    private int copy(CommandLine cmd) {
        String from = cmd.required("from");
        String to = cmd.required("to");
        if (from.equals(to)) {
            throw new CommandLine.UsageException("--from and --to name the same database");
        }
        int batch = cmd.positiveInt("batch-size", DEFAULT_BATCH);
        try (Database source = Database.open(DatabaseSettings.forUrl(from).forCommandLine());
             Database target = Database.open(DatabaseSettings.forUrl(to).forCommandLine())) {
            out.printf("Copying %s %s at %s%n     to %s %s at %s%n", source.server().engine().displayName(),
                    source.server().version(), source.target().masked(), target.server().engine().displayName(),
                    target.server().version(), target.target().masked());
            List<RegistryCopy.Copied> copied = new RegistryCopy(source, target, batch)
                    .run(cmd.flag("truncate"), new CopyProgress(out, terminal));
            long rows = copied.stream().mapToLong(RegistryCopy.Copied::rows).sum();
            out.printf("Verified %d tables and %d rows: every table's row count and checksum match the source.%n",
                    copied.size(), rows);
            return 0;
        }
    }

    private DatabaseSettings settings(CommandLine cmd) {
        DatabaseSettings fromEnv = DatabaseSettings.from(env);
        String url = cmd.option("url");
        // --url brings its own credentials: DATABASE_PASSWORD belongs to DATABASE_URL.
        return url == null ? fromEnv : fromEnv.withUrl(url);
    }

    private static Database open(CommandLine cmd, DatabaseSettings settings) {
        if (!cmd.words().isEmpty()) {
            throw new CommandLine.UsageException("unexpected '" + cmd.words().getFirst() + "'");
        }
        return Database.open(settings.forCommandLine());
    }

    private void describe(Database db) {
        out.printf("Engine:    %s %s%n", db.server().engine().displayName(), db.server().version());
        out.printf("Database:  %s%n", db.target().masked());
    }

    private static String changeset(String idAndAuthor) {
        return idAndAuthor.substring(0, idAndAuthor.indexOf("::"));
    }
}
