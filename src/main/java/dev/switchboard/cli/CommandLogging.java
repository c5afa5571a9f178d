package dev.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Command-line tools print their own output; libraries' logs would only bury it, so only warnings show. */
public final class CommandLogging {

    private CommandLogging() {
    }

    public static void quiet() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        // Liquibase logs through java.util.logging.
        java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
    }
}
