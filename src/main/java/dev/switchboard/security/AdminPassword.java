package dev.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The administrator's password, for HTTP Basic and the sign-in page: ADMIN_PASSWORD when set, or else one generated
 * at the registry's first start. Only the generated password's adaptive hash (bcrypt, through Spring Security's
 * delegating encoder, which names the algorithm in the hash) is stored, in the registry; the password itself is
 * printed once, by the gateway that generated it. Replicas starting at once store one hash: the first insert wins and
 * the others read it.
 */
public final class AdminPassword {

    /** The line the generated password is printed in, followed by the user name, ": " and the password. */
    public static final String BANNER = "Generated administrator password for ";

    private static final Logger log = LoggerFactory.getLogger(AdminPassword.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 18 random bytes: 144 bits, 24 URL-safe characters that survive copying from a terminal. */
    private static final int GENERATED_BYTES = 18;
    private static final PasswordEncoder ENCODER = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private final String user;
    private final byte[] explicitDigest;
    private final Supplier<String> storedHash;
    private volatile String hash;
    /** The SHA-256 of the password once bcrypt accepted it: later logins (a scraper's, say) skip bcrypt's cost. */
    private volatile byte[] verifiedDigest;

    private AdminPassword(String user, byte[] explicitDigest, Supplier<String> storedHash) {
        this.user = user;
        this.explicitDigest = explicitDigest;
        this.storedHash = storedHash;
    }

    /** ADMIN_PASSWORD, set by the operator: kept as a digest in memory only; it wins over a stored one. */
    public static AdminPassword explicit(String user, String password) {
        return new AdminPassword(user, sha256(password), null);
    }

    /**
     * The password whose hash the registry keeps, generated (and printed once) if it keeps none. Nothing is read
     * until {@link #resolve()} or the first login, so that a gateway whose schema another job migrates can start.
     */
    static AdminPassword stored(String user, RegistrySettings registry) {
        return new AdminPassword(user, null, () -> registry.read(RegistrySettings.ADMIN_PASSWORD_HASH)
                .orElseGet(() -> generate(user, registry)));
    }

    /** The administrator's user name (ADMIN_USER). */
    public String user() {
        return user;
    }

    /** Reads or generates the stored hash now, so that a first start prints its password at once. */
    void resolve() {
        if (explicitDigest == null) {
            storedHash();
        }
    }

    /** True when {@code given} is the password; a wrong password costs as much as a right one. */
    public boolean matches(String given) {
        if (explicitDigest != null) {
            // Digests have one length whatever was sent, so the comparison takes the same time for every guess.
            return MessageDigest.isEqual(explicitDigest, sha256(given));
        }
        byte[] digest = sha256(given);
        byte[] verified = verifiedDigest;
        if (verified != null && MessageDigest.isEqual(verified, digest)) {
            return true;
        }
        // A wrong password always pays bcrypt's cost; the failed-login limit bounds how often one client may.
        boolean matches = ENCODER.matches(given, storedHash());
        if (matches) {
            verifiedDigest = digest;
        }
        return matches;
    }

    private String storedHash() {
        String known = hash;
        if (known == null) {
            synchronized (this) {
                if (hash == null) {
                    hash = storedHash.get();
                }
                known = hash;
            }
        }
        return known;
    }

    private static String generate(String user, RegistrySettings registry) {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String ours = ENCODER.encode(password);
        String stored = registry.putIfAbsent(RegistrySettings.ADMIN_PASSWORD_HASH, ours);
        if (stored.equals(ours)) {
            String rule = "*".repeat(72);
            log.warn(rule);
            log.warn(BANNER + "{}: {}", user, password);
            log.warn("It is printed only this once, and the registry keeps only its hash. Copy it into a secret store; "
                    + "set ADMIN_PASSWORD to use your own instead (see docs/deployment.md).");
            log.warn(rule);
        }
        return stored;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminPassword[user=" + user + ", " + (explicitDigest != null ? "ADMIN_PASSWORD" : "stored hash") + "]";
    }
}
