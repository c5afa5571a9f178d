package dev.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.Console;
import org.slf4j.LoggerFactory;

/** How command-line tools talk to a person: their own output only, and progress bars only on a terminal. */
public final class CommandLogging {

    private CommandLogging() {
    }

    /**
     * True when a person is watching. Since JDK 22 System.console() can exist with output redirected, and only
     * Console.isTerminal() (absent from the Java 21 API this builds against) tells the difference.
     */
    public static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // Java 21: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * Sets the libraries' logging for a command: by default only their warnings show, since their logs would bury
     * the command's own output; {@code verbose} (the --verbose flag) shows their INFO lines too.
     */
    public static void forCommand(boolean verbose) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        // Liquibase logs through java.util.logging.
        java.util.logging.Logger.getLogger("liquibase")
                .setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
    }
}
