package dev.switchboard.mcp;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jooq.Field;
import org.jooq.InsertValuesStep5;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/**
 * The {@code mcp_session_event} table: the messages each replica sent on a session's GET stream, kept a few minutes
 * so that a client reconnecting to another replica with {@code Last-Event-ID} gets what followed that event.
 */
@Repository
class SessionEventRepository {

    /** One message as sent: by {@code replica}, the {@code seq}-th event that replica numbered. */
    record StoredEvent(String sessionId, String replica, long seq, String message, Instant sentAt) {
    }

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("mcp_session_event");
    private final Field<String> sessionId;
    private final Field<String> replica;
    private final Field<Long> seq;
    private final Field<String> message;
    private final Field<Instant> sentAt;

    SessionEventRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        sessionId = c.text(table, "session_id");
        replica = c.text(table, "replica");
        seq = c.bigint(table, "seq");
        message = c.text(table, "message");
        sentAt = c.timestamp(table, "sent_at");
    }

    /** Stores {@code events} in one statement. */
    void insert(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        transactions.write(dsl -> {
            InsertValuesStep5<Record, String, String, Long, String, Instant> insert =
                    dsl.insertInto(table, sessionId, replica, seq, message, sentAt);
            for (StoredEvent e : events) {
                insert = insert.values(e.sessionId(), e.replica(), e.seq(), e.message(), e.sentAt());
            }
            return insert.execute();
        });
    }

    /** The last {@code limit} events {@code sender} sent to session {@code session} after its event {@code after}. */
    List<StoredEvent> after(String session, String sender, long after, int limit) {
        List<StoredEvent> newestFirst = transactions.read(dsl -> dsl.select(seq, message, sentAt).from(table)
                .where(sessionId.eq(session)).and(replica.eq(sender)).and(seq.gt(after))
                .orderBy(seq.desc()).limit(limit)
                .fetch(r -> new StoredEvent(session, sender, r.value1(), r.value2(), r.value3())));
        List<StoredEvent> inOrder = new ArrayList<>(newestFirst);
        Collections.reverse(inOrder);
        return inOrder;
    }

    /**
     * Deletes the events sent before {@code before}, in one statement: the sweep runs every minute, so it deletes about
     * a minute of events, through the index on {@code sent_at}.
     */
    int deleteSentBefore(Instant before) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(sentAt.lt(before)).execute());
    }
}
