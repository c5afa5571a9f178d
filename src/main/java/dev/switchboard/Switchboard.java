package dev.switchboard;

import dev.switchboard.cli.CommandLogging;
import dev.switchboard.cli.MainCommand;
import dev.switchboard.protocol.VerbatimNumbers;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;

/**
 * Entry point: {@code java -jar switchboard.jar} serves the gateway; {@code ... db <command>} operates its database;
 * {@code ... token} mints a JWT; {@code ... --help} lists them all (MainCommand decides which).
 */
// Logins are Switchboard's own (docs/security.md); Boot's generated user and password would be a second, unknown one.
// The authorization server is Switchboard's own too (security/authserver): Boot's would generate a key in memory and
// serve a chain of its own even with SWITCHBOARD_AUTH_SERVER_ENABLED=false.
@SpringBootApplication(exclude = {UserDetailsServiceAutoConfiguration.class,
        OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class})
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

    /** Added to the application's JSON mapper: fractions keep the spelling they arrived with (1.50e1 stays so). */
    @Bean
    VerbatimNumbers verbatimNumbers() {
        return new VerbatimNumbers();
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
