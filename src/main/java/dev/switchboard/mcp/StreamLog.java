package dev.switchboard.mcp;

import dev.switchboard.jobs.BackgroundLoop;
import dev.switchboard.persistence.ForeignKeyViolationException;
import dev.switchboard.replicas.Replicas;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What this replica sent on the GET streams of stored sessions, written to the registry in the background, and what
 * other replicas sent, read back for a client that reconnects here with {@code Last-Event-ID}: so that a stream
 * closed by a replica's shutdown, or a connection that broke, resumes on whichever replica the load balancer picks.
 *
 * <p>Event ids name their replica and its sequence ({@link EventId}), unique across replicas and restarts. Only the
 * replica holding a stream writes what it sends there, so an announcement every replica hears is stored once.
 * Writing is best effort and bounded: at most {@value #CAPACITY} events wait, and while the registry is away they
 * are dropped (the local replay of the replica that sent them still works). Events are kept {@link #RETENTION}.
 */
@Component
class StreamLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamLog.class);
    /** Events waiting to be written; past it new ones are not stored. */
    static final int CAPACITY = 10_000;
    /** Events written per statement. */
    static final int BATCH = 500;
    /** How long stored events stay: a reconnect comes within seconds, and a client gone longer has missed them. */
    static final Duration RETENTION = Duration.ofMinutes(5);

    /** An event id as sent: {@code <replica>-<sequence>}. */
    record EventId(String replica, long seq) {

        static Optional<EventId> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            String id = text.strip();
            int dash = id.indexOf('-');
            if (dash < 0 || !Replicas.isId(id.substring(0, dash))) {
                return Optional.empty();
            }
            try {
                return Optional.of(new EventId(id.substring(0, dash), Long.parseLong(id.substring(dash + 1))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return replica + "-" + seq;
        }
    }

    /** An event another replica sent, to send again here: its own id, and its message. */
    record Replayed(String id, String message) {
    }

    private final SessionEventRepository repository;
    private final String replica;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong sequence = new AtomicLong();
    private final BlockingQueue<SessionEventRepository.StoredEvent> waiting = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final BackgroundLoop writer;

    StreamLog(SessionEventRepository repository, Replicas replicas) {
        this.repository = repository;
        this.replica = replicas.id();
        this.writer = new BackgroundLoop("switchboard-mcp-stream-log", this::write, () -> Duration.ofSeconds(1), log,
                "Messages sent on MCP streams cannot be stored now ({}); a client reconnecting to another replica"
                        + " will not get them again", "Messages sent on MCP streams are stored again");
    }

    /** The next event id of this replica. */
    EventId next() {
        return new EventId(replica, sequence.incrementAndGet());
    }

    /** Whether {@code id} was numbered by this replica. */
    boolean isOwn(EventId id) {
        return id.replica().equals(replica);
    }

    /** Stores, soon, that {@code message} went to session {@code sessionId} as event {@code id}. */
    void sent(String sessionId, EventId id, String message) {
        if (waiting.offer(new SessionEventRepository.StoredEvent(sessionId, id.replica(), id.seq(), message,
                clock.instant()))) {
            writer.wake();
        } else {
            dropped.incrementAndGet();
        }
    }

    /**
     * What replica {@code after.replica()} sent session {@code sessionId} after event {@code after}, its last
     * {@code limit} such events; none while the registry is away.
     */
    List<Replayed> sentElsewhere(String sessionId, EventId after, int limit) {
        try {
            return repository.after(sessionId, after.replica(), after.seq(), limit).stream()
                    .map(e -> new Replayed(new EventId(e.replica(), e.seq()).toString(), e.message())).toList();
        } catch (RuntimeException e) {
            log.debug("Messages sent to MCP session {}… by replica {} not replayed: the registry is unavailable ({})",
                    sessionId.substring(0, 8), after.replica(), e.toString());
            return List.of();
        }
    }

    /** How many events were not stored because too many were waiting. */
    long dropped() {
        return dropped.get();
    }

    /**
     * Writes what waits, {@value #BATCH} a statement. A batch refused because one of its sessions was deleted
     * meanwhile is written event by event, those of deleted sessions left out; any other failure drops the batch.
     */
    private void write() {
        List<SessionEventRepository.StoredEvent> batch = new ArrayList<>(BATCH);
        while (waiting.drainTo(batch, BATCH) > 0) {
            try {
                repository.insert(batch);
            } catch (ForeignKeyViolationException e) {
                for (SessionEventRepository.StoredEvent event : batch) {
                    try {
                        repository.insert(List.of(event));
                    } catch (ForeignKeyViolationException gone) {
                        // The session ended: nobody will ask for its events.
                    }
                }
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void start() {
        writer.start(Duration.ofSeconds(1));
    }

    /** After the web server has stopped (a low phase): what the streams sent until they closed is stored. */
    @Override
    public void stop() {
        writer.stop(Duration.ofSeconds(5));
        try {
            write();
        } catch (RuntimeException e) {
            log.debug("Messages sent on MCP streams not stored at shutdown ({})", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return writer.isRunning();
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
