package dev.switchboard;

import dev.switchboard.cli.CommandLogging;
import dev.switchboard.cli.MainCommand;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Entry point: {@code java -jar switchboard.jar} serves the gateway; {@code ... db <command>} operates its database;
 * {@code ... token} mints a JWT; {@code ... --help} lists them all (MainCommand decides which).
 */
// Logins are Switchboard's own (docs/security.md); Boot's generated user and password would be a second, unknown one.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class Switchboard {

    public static void main(String[] args) {
        MainCommand.Outcome outcome = new MainCommand(System.out, System.err, System.in, Switchboard::setting,
                CommandLogging.onTerminal(), CommandLogging::forCommand).run(List.of(args));
        switch (outcome) {
            case MainCommand.Exit exit -> System.exit(exit.status());
            case MainCommand.Serve serve -> SpringApplication.run(Switchboard.class,
                    serve.springArgs().toArray(String[]::new));
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
