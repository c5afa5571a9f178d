package dev.switchboard.cli;

import dev.switchboard.persistence.RegistryCopy;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows a copy's progress: on a terminal, one bar per table redrawn in place with rows per second and the
 * time left; elsewhere (logs, CI), a plain line per table and at most one more every few seconds.
 */
final class CopyProgress implements RegistryCopy.Progress {

    private static final int BAR = 30;
    private static final long PLAIN_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    private final PrintStream out;
    private final boolean terminal;
    private long tableStarted;
    private long lastPlainLine;

    CopyProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void table(String table, long rows) {
        tableStarted = System.nanoTime();
        lastPlainLine = tableStarted;
        if (rows == 0) {
            out.printf("%-26s empty%n", table);
        } else if (!terminal) {
            out.printf("%-26s copying %d rows%n", table, rows);
        }
    }

    @Override
    public void copied(String table, long done, long total) {
        long now = System.nanoTime();
        double seconds = Math.max((now - tableStarted) / 1e9, 1e-3);
        double rate = done / seconds;
        long etaSeconds = rate > 0 ? Math.round((total - done) / rate) : 0;
        if (terminal) {
            int filled = total == 0 ? BAR : (int) (BAR * done / total);
            out.printf("\r%-26s [%s%s] %d/%d rows  %.0f rows/s  ETA %ds%s", table, "#".repeat(filled),
                    "-".repeat(BAR - filled), done, total, rate, etaSeconds, done >= total ? "\n" : "");
            out.flush();
        } else if (done >= total || now - lastPlainLine >= PLAIN_INTERVAL_NANOS) {
            lastPlainLine = now;
            out.printf("%-26s %d/%d rows (%d%%), %.0f rows/s, ETA %d s%n", table, done, total,
                    total == 0 ? 100 : done * 100 / total, rate, etaSeconds);
        }
    }

    @Override
    public void skipped(String table, long rows) {
        out.printf("%-26s already copied (%d rows)%n", table, rows);
    }
}
