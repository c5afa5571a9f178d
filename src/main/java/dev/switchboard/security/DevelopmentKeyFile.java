package dev.switchboard.security;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key a gateway uses when no SWITCHBOARD_SECRET_KEY is set: 32 random bytes, generated once and kept as base64 in
 * {@value #NAME} beside an embedded database or in the data directory, readable by its owner only where the file system
 * allows. Meant for a trial or a single gateway on a volume; production copies it into a secret store.
 */
final class DevelopmentKeyFile {

    static final String NAME = "switchboard-secret.key";

    private static final Logger log = LoggerFactory.getLogger(DevelopmentKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private DevelopmentKeyFile() {
    }

    /** Where the key file of the database in {@code databaseFile} lives. */
    static Path beside(Path databaseFile) {
        return databaseFile.toAbsolutePath().normalize().resolveSibling(NAME);
    }

    /** The key in {@code file}, or empty when there is no such file. */
    static Optional<EncryptionKey> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw SecretKeySettings.invalidKey("Cannot read the key file " + file + ": " + e.getMessage()
                    + ". Fix its permissions, or set SWITCHBOARD_SECRET_KEY (make one with: openssl rand -base64 32)");
        }
        warnIfOthersCanRead(file);
        return Optional.of(EncryptionKey.parse("the key file " + file, text));
    }

    /** The key in {@code file}, generated and written there first if the file does not exist. */
    static EncryptionKey readOrCreate(Path file) {
        Optional<EncryptionKey> existing = read(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        EncryptionKey key = EncryptionKey.generate();
        Path temp = null;
        try {
            // Written whole under another name, then moved into place: a crash never leaves half a key behind.
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), ".switchboard-secret-", ".tmp", ownerOnly(file.getParent()));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.US_ASCII.encode(key.encoded() + "\n"));
                channel.force(true);
            }
            Files.move(temp, file);
            log.info("Created the key file {} (key {})", file, key.id());
            return key;
        } catch (FileAlreadyExistsException raced) {
            return read(file).orElseThrow(); // another process created it first: use theirs
        } catch (IOException e) {
            throw SecretKeySettings.invalidKey("Cannot create the key file " + file + ": " + e.getMessage()
                    + ". Set SWITCHBOARD_SECRET_KEY instead (make one with: openssl rand -base64 32)");
        } finally {
            deleteQuietly(temp);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) throws IOException {
        if (Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null && !OWNER_ONLY.containsAll(view.readAttributes().permissions())) {
                log.warn("The key file {} can be read by others than its owner; run: chmod 600 {}",
                        file, file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Permissions that cannot be read cannot be judged; reading the key itself worked.
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a stray temporary file holds a key that was never used
            }
        }
    }
}
