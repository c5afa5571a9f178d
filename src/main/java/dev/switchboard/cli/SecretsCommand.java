package dev.switchboard.cli;

import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.EnvironmentSealing;
import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.DatabaseStartupException;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.persistence.SchemaStatus;
import dev.switchboard.security.AesGcmSecretCipher;
import dev.switchboard.security.SecretKeySettings;
import dev.switchboard.security.SecretKeySettings.SourcedKey;
import dev.switchboard.security.SecretRotation;
import dev.switchboard.security.SecretRotationException;
import dev.switchboard.settings.InvalidSettingException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@code switchboard secrets rotate [--dry-run]}: re-encrypting the stored upstream secrets under a new key. */
public final class SecretsCommand {

    static final String USAGE = """
            Usage: java -jar switchboard.jar secrets rotate [--dry-run] [--url URL]
              rotate      re-encrypt every stored secret under SWITCHBOARD_SECRET_KEY, in one transaction.
                          Secrets are read under that key or SWITCHBOARD_OLD_SECRET_KEY (with no old key set,
                          under the generated key file: beside an embedded database, else in SWITCHBOARD_DATA_DIR).
              --dry-run   say what would be re-encrypted, and change nothing
              --verbose   the libraries' INFO logs too, on standard error (by default only warnings)
            The database is DATABASE_URL, or --url URL.""";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    /** @param env the environment: DATABASE_URL, SWITCHBOARD_SECRET_KEY, SWITCHBOARD_OLD_SECRET_KEY */
    public SecretsCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Runs the command; returns the exit status: 0 done, 1 failed (nothing changed), 2 called wrongly. */
    public int run(List<String> args) {
        try {
            if (CommandLine.asksForHelp(args)) {
                out.println(USAGE);
                return 0;
            }
            if (args.isEmpty()) {
                throw new CommandLine.UsageException("name a command");
            }
            return switch (args.getFirst()) {
                case "rotate" -> rotate(new CommandLine(args.subList(1, args.size()), Set.of("url"), Set.of("dry-run")));
                default -> throw new CommandLine.UsageException("unknown command '" + args.getFirst() + "'");
            };
        } catch (CommandLine.UsageException e) {
            err.println("switchboard secrets: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (DatabaseStartupException | InvalidSettingException | SecretRotationException | DataAccessFailure e) {
            err.println("switchboard secrets: " + e.getMessage());
            return 1;
        }
    }

    private int rotate(CommandLine cmd) {
        if (!cmd.words().isEmpty()) {
            throw new CommandLine.UsageException("unexpected '" + cmd.words().getFirst() + "'");
        }
        boolean dryRun = cmd.flag("dry-run");
        DatabaseSettings settings = DatabaseSettings.from(env);
        if (cmd.option("url") != null) {
            settings = settings.withUrl(cmd.option("url"));
        }
        try (Database db = Database.open(settings.forCommandLine())) {
            SchemaStatus schema = new SchemaMigrator(db).status();
            if (!schema.current()) {
                err.println("switchboard secrets: the schema is not current (" + schema.pending().size()
                        + " pending changesets); run `db migrate` first");
                return 1;
            }
            SecretKeySettings keys = new SecretKeySettings(env, db);
            SourcedKey newKey = keys.requiredKey();
            Optional<SourcedKey> oldKey = keys.oldKeyForRotation();
            if (oldKey.isPresent() && oldKey.get().key().sameAs(newKey.key())) {
                if (oldKey.get().source().equals(SecretKeySettings.OLD_KEY)) {
                    throw new CommandLine.UsageException(SecretKeySettings.OLD_KEY + " is the same key as "
                            + SecretKeySettings.KEY + " (" + newKey.key().id() + "); set " + SecretKeySettings.KEY
                            + " to the new key");
                }
                oldKey = Optional.empty(); // the generated key was made the real key: nothing to move away from
            }
            out.printf("Engine:    %s %s%n", db.server().engine().displayName(), db.server().version());
            out.printf("Database:  %s%n", db.target().masked());
            out.printf("New key:   %s (%s)%n", newKey.key().id(), newKey.source());
            out.printf("Old key:   %s%n", oldKey.map(k -> k.key().id() + " (" + k.source() + ")")
                    .orElse("none (" + SecretKeySettings.OLD_KEY + " is not set)"));
            SecretRotation.Outcome outcome = new SecretRotation(db.transactions(),
                    new AesGcmSecretCipher(newKey.key()), oldKey.map(k -> new AesGcmSecretCipher(k.key()))).run(dryRun);
            out.println(outcome.summary());
            // Stdio environments an older version stored in clear are sealed under the new key too (the gateway
            // also does this at startup).
            int sealed = new EnvironmentSealing(db.transactions(),
                    new Credentials(new AesGcmSecretCipher(newKey.key())), null).run(dryRun);
            if (sealed > 0) {
                out.println((dryRun ? "would seal" : "sealed") + " the clear environment values of " + sealed
                        + " stdio upstream" + (sealed == 1 ? "" : "s"));
            }
            if (dryRun) {
                out.println("Dry run: nothing was changed.");
            } else if (oldKey.isPresent() && !oldKey.get().source().equals(SecretKeySettings.OLD_KEY)) {
                out.println("Start the gateway with " + SecretKeySettings.KEY + " set; " + oldKey.get().source()
                        + " is then no longer used.");
            }
            return 0;
        }
    }
}
