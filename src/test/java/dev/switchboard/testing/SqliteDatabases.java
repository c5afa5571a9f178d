package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** SQLite databases as files in one temporary folder, removed at the end of the run. */
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
        // Four slashes: an absolute path in the SQLAlchemy form.
        return "sqlite:///" + folder.resolve(purpose + "-" + counter.incrementAndGet() + ".db").toAbsolutePath();
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
