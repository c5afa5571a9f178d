package dev.switchboard.federation;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Work with an upstream that must end within one deadline however many steps it takes (connect, handshake, every
 * page of every list): it runs on a virtual thread of its own, and past the deadline it is interrupted, which ends
 * its waits, and the caller gets a timeout at once.
 */
final class DeadlineRun {

    private DeadlineRun() {
    }

    /**
     * The result of {@code work}, or its own failure as it is.
     *
     * @throws UpstreamException a {@code TIMEOUT} with {@code timedOut}'s words past {@code limit}
     */
    static <T> T within(Duration limit, String thread, Callable<T> work, Supplier<String> timedOut) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().name(thread).start(task);
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new UpstreamException(UpstreamException.Kind.TIMEOUT, timedOut.get());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.CANCELLED, "the wait for the upstream was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new UpstreamException(UpstreamException.Kind.PROTOCOL, UpstreamFailure.describe(e.getCause()),
                    e.getCause());
        }
    }
}
