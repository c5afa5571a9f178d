package dev.switchboard.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second gateway off a SQLite file that one already serves. SQLite would let both open it, but replicas
 * share sessions, leases and caches only through a server database, so two gateways on one file would each
 * believe they are alone. The lock is an OS lock on a file beside the database ({@code <db>.lock}), never on the
 * database file itself: SQLite's own locks live there, and closing any descriptor of a file drops a process's
 * POSIX locks on it. The OS frees the lock when the process dies, so a crash never leaves a stale lock.
 */
public final class SingleGatewayLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SingleGatewayLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock for the URL's SQLite file; holds nothing for a server database or one only in memory. */
    public static SingleGatewayLock take(DatabaseSettings settings) {
        Path file = DatabaseUrl.parse(settings.url()).sqliteFile();
        return file == null ? new SingleGatewayLock(null, null) : take(file.toAbsolutePath().normalize());
    }

    static SingleGatewayLock take(Path databaseFile) {
        Path lockFile = databaseFile.resolveSibling(databaseFile.getFileName() + ".lock");
        FileChannel channel;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DatabaseStartupException("Cannot open " + lockFile + ", which keeps a second gateway off the"
                    + " SQLite database: " + e.getMessage());
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM already serves the file: the same refusal as for another process
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DatabaseStartupException("Cannot lock " + lockFile + ": " + e.getMessage());
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new DatabaseStartupException("Another Switchboard already serves the SQLite database "
                    + databaseFile + " (it holds " + lockFile + "). SQLite serves one gateway only; to run replicas,"
                    + " use PostgreSQL, MariaDB or MySQL (docs/deployment.md, \"Replicas and background jobs\").");
        }
        return new SingleGatewayLock(channel, lock);
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
    }
}
