package dev.switchboard.jobs;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One piece of background work done over and over on its own virtual thread: a tick, then a wait of the interval
 * (asked again each time round, so it may change), until stopped. A tick that fails is warned about once per
 * streak of failures, with its cause, and the first tick that succeeds after it says so; the loop itself never dies
 * of a failure. Stopping lets a tick in progress finish, within a bound.
 */
public final class BackgroundLoop {

    private final String name;
    private final Runnable tick;
    private final Supplier<Duration> interval;
    private final Logger log;
    private final String failure;
    private final String recovery;
    /** A permit ends the current wait early: released by wake() and stop(). */
    private final Semaphore wakeUp = new Semaphore(0);
    private Thread thread;
    private volatile boolean running;
    private boolean failing;

    /**
     * @param name     the thread's name
     * @param tick     the work; a RuntimeException counts as a failed tick
     * @param interval the wait after each tick
     * @param log      where failures and recoveries are reported
     * @param failure  the warning for the first failure of a streak, with one {@code {}} for the cause's message
     * @param recovery the note for the first success after a streak of failures
     */
    public BackgroundLoop(String name, Runnable tick, Supplier<Duration> interval, Logger log, String failure,
                          String recovery) {
        this.name = name;
        this.tick = tick;
        this.interval = interval;
        this.log = log;
        this.failure = failure;
        this.recovery = recovery;
    }

    /** Starts ticking after {@code firstDelay} (zero: at once); does nothing when already running. */
    public synchronized void start(Duration firstDelay) {
        if (running) {
            return;
        }
        running = true;
        wakeUp.drainPermits();
        thread = Thread.ofVirtual().name(name).start(() -> loop(firstDelay));
    }

    /**
     * Stops ticking: the wait ends at once, a tick in progress may finish within {@code bound}, after which it is
     * interrupted. Does nothing when not running.
     */
    public void stop(Duration bound) {
        Thread stopping;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            stopping = thread;
            thread = null;
            wakeUp.release();
        }
        try {
            if (!stopping.join(bound)) {
                stopping.interrupt();
            }
        } catch (InterruptedException e) {
            stopping.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Ends the current wait, so the next tick comes now rather than after the interval. */
    public void wake() {
        if (running && wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** One tick on the caller's thread (at shutdown, say), reported like the loop's own. */
    public void tickNow() {
        try {
            tick.run();
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void loop(Duration firstDelay) {
        if (!firstDelay.isZero() && !await(firstDelay)) {
            return;
        }
        while (running) {
            tickNow();
            if (!await(interval.get())) {
                return;
            }
        }
    }

    /** Waits, and answers whether to go on. */
    private boolean await(Duration wait) {
        try {
            wakeUp.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private synchronized void succeeded() {
        if (failing) {
            failing = false;
            log.info(recovery);
        }
    }

    private synchronized void failed(RuntimeException e) {
        if (!failing) {
            failing = true;
            log.warn(failure, e.getMessage());
            log.debug("{} failed", name, e);
        }
    }
}
