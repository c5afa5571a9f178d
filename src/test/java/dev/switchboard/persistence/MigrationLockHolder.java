package dev.switchboard.persistence;

import java.sql.Connection;
import java.time.Duration;

/** Run in its own JVM by {@link ConcurrentMigrationTest}: takes the migration lock, says so, and waits to be killed. */
public final class MigrationLockHolder {

    private MigrationLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (Database db = Database.open(DatabaseSettings.forUrl(args[0]));
             Connection connection = db.openDirectConnection();
             MigrationLock lock = db.dialect().lockMigrations(connection, Duration.ofSeconds(30))) {
            System.out.println("LOCKED");
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5)); // holds the lock until the test kills this JVM (or 5 min pass)
        }
    }
}
