package dev.switchboard;

import dev.switchboard.cli.CommandLogging;
import dev.switchboard.cli.DatabaseCommand;
import dev.switchboard.cli.SecretsCommand;
import dev.switchboard.cli.TokenCommand;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.DatabaseStartupException;
import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.security.SecuritySettings;
import dev.switchboard.settings.InvalidSettingException;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Entry point: {@code java -jar switchboard.jar} serves the gateway; {@code ... db <command>} operates its database;
 * {@code ... token} mints a JWT.
 */
// Logins are Switchboard's own (docs/security.md); Boot's generated user and password would be a second, unknown one.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class Switchboard {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("db")) {
            CommandLogging.quiet();
            System.exit(new DatabaseCommand(System.out, System.err, System.in, Switchboard::setting,
                    CommandLogging.onTerminal()).run(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("secrets")) {
            CommandLogging.quiet();
            System.exit(new SecretsCommand(System.out, System.err, Switchboard::setting)
                    .run(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("token")) {
            CommandLogging.quiet();
            System.exit(new TokenCommand(System.out, System.err, Switchboard::setting)
                    .run(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("serve")) {
            fail("unknown command '" + args[0] + "'. Usage: java -jar switchboard.jar [serve | db <command> | secrets rotate | token]");
        }
        checkDatabaseSettings();
        checkSecuritySettings();
        SpringApplication.run(Switchboard.class, args);
    }

    /** A malformed DATABASE_URL or pool setting is reported in one line before anything starts. */
    private static void checkDatabaseSettings() {
        try {
            DatabaseUrl.parse(DatabaseSettings.from(Switchboard::setting).url());
        } catch (DatabaseStartupException | InvalidSettingException e) {
            fail(e.getMessage());
        }
    }

    /** A weak JWT secret or an unreadable key is reported in one line, before anything starts. */
    private static void checkSecuritySettings() {
        try {
            SecuritySettings.from(Switchboard::setting);
        } catch (InvalidSettingException e) {
            fail(e.getMessage());
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    private static void fail(String message) {
        System.err.println("switchboard: " + message);
        System.exit(2);
    }
}
