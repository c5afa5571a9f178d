package dev.switchboard.users;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Users in the {@code app_user} table, found by id or by the unique username their credentials carry. */
@Repository
public class UserRepository {

    /** A user with the password hash a local user signs in with (null for others). */
    record WithPassword(User user, String passwordHash) {
    }

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("app_user");
    private final Field<UUID> id;
    private final Field<String> username;
    private final Field<String> kind;
    private final Field<String> displayName;
    private final Field<String> email;
    private final Field<String> issuer;
    private final Field<String> subject;
    private final Field<String> passwordHash;
    private final Field<Boolean> enabled;
    private final Field<Boolean> platformAdmin;
    private final Field<Instant> createdAt;
    private final Field<Instant> updatedAt;
    private final Field<Instant> lastSignInAt;

    public UserRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        username = c.text(table, "username");
        kind = c.text(table, "kind");
        displayName = c.text(table, "display_name");
        email = c.text(table, "email");
        issuer = c.text(table, "issuer");
        subject = c.text(table, "subject");
        passwordHash = c.text(table, "password_hash");
        enabled = c.bool(table, "enabled");
        platformAdmin = c.bool(table, "platform_admin");
        createdAt = c.timestamp(table, "created_at");
        updatedAt = c.timestamp(table, "updated_at");
        lastSignInAt = c.timestamp(table, "last_sign_in_at");
    }

    /**
     * Stores a new user; false, storing nothing, when the username is taken. Looking first keeps the common refusal
     * from being a failed statement.
     *
     * @throws dev.switchboard.persistence.UniqueViolationException when another request stored the name meanwhile
     */
    boolean insert(User user, String hash) {
        Map<Field<?>, Object> row = row(user);
        row.put(id, user.id());
        row.put(username, user.username());
        row.put(kind, user.kind().value());
        row.put(issuer, user.issuer());
        row.put(subject, user.subject());
        row.put(passwordHash, hash);
        row.put(createdAt, user.createdAt());
        row.put(lastSignInAt, user.lastSignInAt());
        return transactions.write(dsl -> {
            if (dsl.fetchExists(table, username.eq(user.username()))) {
                return false;
            }
            dsl.insertInto(table).set(row).execute();
            return true;
        });
    }

    /**
     * Stores what may change of {@code user} (display name, e-mail, flags, and the password hash when {@code hash}
     * is not null); false when it no longer exists.
     */
    boolean update(User user, String hash) {
        Map<Field<?>, Object> row = row(user);
        if (hash != null) {
            row.put(passwordHash, hash);
        }
        return transactions.write(dsl -> dsl.update(table).set(row).where(id.eq(user.id())).execute() == 1);
    }

    void recordSignIn(UUID userId, Instant at) {
        transactions.write(dsl -> dsl.update(table).set(lastSignInAt, at).where(id.eq(userId)).execute());
    }

    boolean delete(UUID userId) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(id.eq(userId)).execute() == 1);
    }

    Optional<User> find(UUID userId) {
        return transactions.read(dsl -> dsl.select(fields()).from(table).where(id.eq(userId))
                .fetchOptional(this::read));
    }

    Optional<WithPassword> findByUsername(String name) {
        return transactions.read(dsl -> dsl.select(fields()).select(passwordHash).from(table)
                .where(username.eq(name)).fetchOptional(r -> new WithPassword(read(r), r.get(passwordHash))));
    }

    /** Every user, by username. */
    /** Up to {@code limit} users by username, those after {@code after} when it is not null. */
    List<User> list(String after, int limit) {
        return transactions.read(dsl -> dsl.select(fields()).from(table)
                .where(after == null ? org.jooq.impl.DSL.noCondition() : username.gt(after))
                .orderBy(username).limit(limit).fetch(this::read));
    }

    private Map<Field<?>, Object> row(User user) {
        Map<Field<?>, Object> row = new HashMap<>();
        row.put(displayName, user.displayName());
        row.put(email, user.email());
        row.put(enabled, user.enabled());
        row.put(platformAdmin, user.platformAdmin());
        row.put(updatedAt, user.updatedAt());
        return row;
    }

    private List<Field<?>> fields() {
        return List.of(id, username, kind, displayName, email, issuer, subject, enabled, platformAdmin, createdAt,
                updatedAt, lastSignInAt);
    }

    private User read(Record r) {
        return new User(r.get(id), r.get(username), User.Kind.parse(r.get(kind)), r.get(displayName), r.get(email),
                r.get(issuer), r.get(subject), r.get(enabled), r.get(platformAdmin), r.get(createdAt),
                r.get(updatedAt), r.get(lastSignInAt));
    }
}
