package dev.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.ConsoleAppender;
import java.io.Console;
import org.slf4j.LoggerFactory;

/** How command-line tools talk to a person: their own output only, and progress bars only on a terminal. */
public final class CommandLogging {

    /**
     * Liquibase logs through java.util.logging (its UI messages too: SchemaMigrator sends them to its logger). The
     * LogManager holds its loggers weakly: a level set on one nobody references is lost when it is collected, and
     * Liquibase's INFO lines come back in the middle of a long command. This reference keeps it.
     */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");
    /** The logger of jOOQ's "Version mismatch" warning; application.properties quiets it for the server too. */
    private static final String JOOQ_VERSION_SUPPORT = "org.jooq.impl.DefaultExecuteContext.logVersionSupport";

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
     * the command's own output; {@code verbose} (the --verbose flag) shows their INFO lines too. Either way they go
     * to standard error, leaving standard output to the command.
     */
    public static void forCommand(boolean verbose) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        // Logback's default console is standard output, where a command's result goes (`token` prints only the token).
        root.iteratorForAppenders().forEachRemaining(appender -> {
            if (appender instanceof ConsoleAppender<?> console) {
                console.stop();
                console.setTarget("System.err");
                console.start();
            }
        });
        LIQUIBASE.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        // jOOQ's open-source edition warns on every server older than its newest supported version (PostgreSQL 15,
        // MariaDB 10.11); Switchboard's supported versions are tested, and nobody can act on the warning.
        ((Logger) LoggerFactory.getLogger(JOOQ_VERSION_SUPPORT)).setLevel(verbose ? Level.INFO : Level.ERROR);
    }

}
