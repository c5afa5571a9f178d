package dev.switchboard.replicas;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** The {@code replica} table: each running replica of the registry, where other replicas reach it, when last seen. */
@Repository
class ReplicaRepository {

    /** A replica as registered. */
    record Registration(String id, URI address, Instant startedAt, Instant seenAt) {
    }

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("replica");
    private final Field<String> id;
    private final Field<String> address;
    private final Field<Instant> startedAt;
    private final Field<Instant> seenAt;

    ReplicaRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.text(table, "id");
        address = c.text(table, "address");
        startedAt = c.timestamp(table, "started_at");
        seenAt = c.timestamp(table, "seen_at");
    }

    /** Marks the replica seen at {@code at}, registering it first if its row is missing (never made, or swept). */
    void seen(Registration replica, Instant at) {
        transactions.write(dsl -> {
            if (dsl.update(table).set(seenAt, at).set(address, replica.address().toString())
                    .where(id.eq(replica.id())).execute() == 0) {
                dsl.insertInto(table).set(id, replica.id()).set(address, replica.address().toString())
                        .set(startedAt, replica.startedAt()).set(seenAt, at).execute();
            }
            return null;
        });
    }

    Optional<Registration> find(String replicaId) {
        return transactions.read(dsl -> dsl.select(id, address, startedAt, seenAt).from(table)
                .where(id.eq(replicaId)).fetchOptional(r -> new Registration(r.value1(), URI.create(r.value2()),
                        r.value3(), r.value4())));
    }

    /** Every registration, the live and the recently gone. */
    List<Registration> all() {
        return transactions.read(dsl -> dsl.select(id, address, startedAt, seenAt).from(table)
                .fetch(r -> new Registration(r.value1(), URI.create(r.value2()), r.value3(), r.value4())));
    }

    /** Deletes the registrations not seen since {@code before}; returns how many. */
    int deleteSeenBefore(Instant before) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(seenAt.lt(before)).execute());
    }
}
