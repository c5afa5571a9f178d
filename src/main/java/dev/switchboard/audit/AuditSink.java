package dev.switchboard.audit;

/**
 * Where audit events go: the buffered writer that also writes invocation metrics, so recording never waits for the
 * database, a batch is written once even when its commit is retried, and shutdown writes what is buffered.
 */
public interface AuditSink {

    /** Buffers {@code event} for writing; never blocks and never touches the database on the caller's thread. */
    void accept(AuditEvent event);
}
