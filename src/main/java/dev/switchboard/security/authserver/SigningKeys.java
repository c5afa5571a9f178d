package dev.switchboard.security.authserver;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.SecretCipher;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * The token signing keys, in the {@code oauth_signing_key} table: RSA keys whose private part is sealed under
 * SWITCHBOARD_SECRET_KEY. Each key belongs to a generation; when the newest is older than the rotation period, the
 * next generation is inserted if absent, so replicas that rotate at the same moment make one key between them. Tokens
 * are signed with the newest key; the JWKS serves the newest and the one before it, so tokens signed just before a
 * rotation still verify.
 */
public class SigningKeys {

    /** How long a replica trusts its copy of the keys before reading them again. */
    static final Duration RELOAD_AFTER = Duration.ofSeconds(30);
    /** A key id nobody knows makes a reload, at most this often. */
    private static final Duration UNKNOWN_KID_RELOAD = Duration.ofSeconds(1);

    /** One key as read, newest first. */
    record Key(long generation, RSAKey jwk, Instant createdAt) {
    }

    private final Transactions transactions;
    private final SecretCipher cipher;
    private final Duration rotation;
    private final Clock clock;
    private final Table<Record> table = Columns.table("oauth_signing_key");
    private final Field<UUID> id;
    private final Field<Long> generation;
    private final Field<String> publicJwk;
    private final Field<String> privateSealed;
    private final Field<Instant> createdAt;
    private volatile List<Key> keys = List.of();
    private volatile Instant loadedAt = Instant.MIN;

    public SigningKeys(Transactions transactions, SecretCipher cipher, Duration rotation, Clock clock) {
        this.transactions = transactions;
        this.cipher = cipher;
        this.rotation = rotation;
        this.clock = clock;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        generation = c.bigint(table, "generation");
        publicJwk = c.text(table, "public_jwk");
        privateSealed = c.text(table, "private_sealed");
        createdAt = c.timestamp(table, "created_at");
    }

    /** The key tokens are signed with now: the newest, made first when there is none or it is due for rotation. */
    public synchronized RSAKey current() {
        Instant now = clock.instant();
        if (keys.isEmpty() || loadedAt.plus(RELOAD_AFTER).isBefore(now)) {
            reload();
        }
        if (keys.isEmpty() || !keys.getFirst().createdAt().plus(rotation).isAfter(now)) {
            long next = keys.isEmpty() ? 0 : keys.getFirst().generation() + 1;
            insertIfAbsent(next, now);
            reload();
        }
        return keys.getFirst().jwk();
    }

    /** The public keys the JWKS serves: the current key and the one before it. */
    public List<JWK> published() {
        current();
        return keys.stream().limit(2).map(k -> (JWK) k.jwk().toPublicJWK()).toList();
    }

    /** The published keys as a Nimbus source: the JWKS endpoint and in-process token verification read it. */
    public JWKSource<SecurityContext> publicSource() {
        return (JWKSelector selector, SecurityContext context) -> {
            List<JWK> found = selector.select(new JWKSet(published()));
            if (found.isEmpty() && selector.getMatcher().getKeyIDs() != null
                    && loadedAt.plus(UNKNOWN_KID_RELOAD).isBefore(clock.instant())) {
                // Another replica may have rotated since this one last read the table.
                synchronized (this) {
                    reload();
                }
                found = selector.select(new JWKSet(published()));
            }
            return found;
        };
    }

    /** The current key with its private part, for signing only. */
    public JWKSource<SecurityContext> signingSource() {
        return (selector, context) -> selector.select(new JWKSet(current()));
    }

    private void reload() {
        List<Key> read = transactions.read(dsl -> dsl.select(generation, privateSealed, createdAt).from(table)
                .orderBy(generation.desc()).limit(2)
                .fetch(r -> new Key(r.get(generation), unseal(r.get(privateSealed)), r.get(createdAt))));
        keys = List.copyOf(read);
        loadedAt = clock.instant();
    }

    private void insertIfAbsent(long next, Instant now) {
        RSAKey key = generate();
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(id, UUID.fromString(key.getKeyID()));
        row.put(generation, next);
        row.put(publicJwk, key.toPublicJWK().toJSONString());
        row.put(privateSealed, cipher.encrypt(key.toJSONString()));
        row.put(createdAt, now.truncatedTo(ChronoUnit.MICROS));
        transactions.write(dsl -> transactions.dialect()
                .insertIfAbsent(dsl.insertInto(table).set(row), generation).execute());
    }

    private RSAKey unseal(String sealed) {
        try {
            return RSAKey.parse(cipher.decrypt(sealed));
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is not a JWK", e);
        }
    }

    private static RSAKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has RSA", e);
        }
    }

}
