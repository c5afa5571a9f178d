package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * SQLite databases as files under one temporary folder, removed at the end of the run. Each database has a
 * folder of its own, as a deployment's data volume does, so the generated key file that the gateway writes
 * beside one database is never found beside another.
 */
final class SqliteDatabases implements TestEngine.DatabaseProvider {

    private final Path folder;
    private final AtomicInteger counter = new AtomicInteger();

    SqliteDatabases() {
        try {
            folder = Files.createTempDirectory("switchboard-sqlite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String createDatabase(String purpose) {
        Path own = folder.resolve(purpose + "-" + counter.incrementAndGet());
        try {
            Files.createDirectories(own);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Four slashes: an absolute path in the SQLAlchemy form.
        return "sqlite:///" + own.resolve("registry.db").toAbsolutePath();
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
