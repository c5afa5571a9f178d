package dev.switchboard.persistence;

import liquibase.database.Database;
import liquibase.exception.LockException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;

/**
 * Replaces Liquibase's lock table, whose boolean row a killed process leaves set, with the session-scoped
 * lock that {@link SchemaMigrator} takes through the dialect before Liquibase runs. Liquibase is allowed to
 * proceed only on a thread that holds that lock.
 */
public final class ExternalLockService implements LockService {

    private static final ThreadLocal<Boolean> HELD = ThreadLocal.withInitial(() -> false);

    static void markHeld(boolean held) {
        HELD.set(held);
    }

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE * 2; // above StandardLockService and every database-specific one
    }

    @Override
    public boolean supports(Database database) {
        return true;
    }

    @Override
    public void setDatabase(Database database) {
        // the lock does not live in the database's tables
    }

    @Override
    public void setChangeLogLockWaitTime(long changeLogLockWaitTime) {
        // waiting is done by the dialect's lock
    }

    @Override
    public void setChangeLogLockRecheckTime(long changeLogLocRecheckTime) {
        // waiting is done by the dialect's lock
    }

    @Override
    public boolean hasChangeLogLock() {
        return HELD.get();
    }

    @Override
    public void waitForLock() throws LockException {
        acquireLock();
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (!HELD.get()) {
            throw new LockException("Switchboard migrations run only through its migrator, under the migration lock");
        }
        return true;
    }

    @Override
    public void releaseLock() {
        // released by the migrator when it closes the dialect's lock
    }

    @Override
    public DatabaseChangeLogLock[] listLocks() {
        return new DatabaseChangeLogLock[0];
    }

    @Override
    public void forceReleaseLock() {
        // nothing can be left behind
    }

    @Override
    public void reset() {
        // stateless
    }

    @Override
    public void init() {
        // no lock table to create
    }

    @Override
    public void destroy() {
        // no lock table to drop
    }
}
