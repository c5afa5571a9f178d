package dev.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: {@code java -jar switchboard.jar} serves the gateway. */
@SpringBootApplication
public class Switchboard {

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("serve")) {
            System.err.println("switchboard: unknown command '" + args[0] + "'. Usage: java -jar switchboard.jar [serve]");
            System.exit(2);
        }
        SpringApplication.run(Switchboard.class, args);
    }
}
