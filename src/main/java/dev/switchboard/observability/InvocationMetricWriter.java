package dev.switchboard.observability;

import dev.switchboard.jobs.BackgroundLoop;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes buffered invocations to invocation_metric in batches, off the request path: every flush interval, or
 * sooner when a batch is full. A batch whose write fails is kept and retried first at the next flush.
 *
 * <p>At shutdown everything buffered is written. Its lifecycle phase is the lowest, so it stops after the web
 * server has stopped taking requests and let those in flight finish; and, as a bean that depends on the
 * database, its destroy callback writes what came later still before the connection pool closes.
 */
@Component
class InvocationMetricWriter implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InvocationMetricWriter.class);
    /** Stops after every other lifecycle, the web server's graceful shutdown included. */
    static final int PHASE = Integer.MIN_VALUE + 1000;

    private final InvocationBuffer buffer;
    private final InvocationMetricRepository repository;
    private final MetricsSettings settings;
    private final BackgroundLoop loop;
    /** A batch taken from the buffer whose write failed: written before anything newer. */
    private List<Invocation> pending = List.of();

    InvocationMetricWriter(InvocationBuffer buffer, InvocationMetricRepository repository, MetricsSettings settings) {
        this.buffer = buffer;
        this.repository = repository;
        this.settings = settings;
        this.loop = new BackgroundLoop("switchboard-metrics-writer", this::flush, settings::flushInterval, log,
                "Invocation metrics cannot be written now ({}); they stay buffered and are retried",
                "Invocation metrics are written again");
    }

    @Override
    public void start() {
        loop.start(settings.flushInterval());
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(10));
        loop.tickNow();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Anything recorded after stop() (a call that outlived the graceful shutdown) is written here. */
    @Override
    public void destroy() {
        loop.tickNow();
        int lost = buffer.size() + pending.size();
        if (lost > 0) {
            log.warn("{} invocation records could not be written before shutdown and are lost", lost);
        }
    }

    /** A full batch is waiting: write it now rather than at the next interval. */
    void wake() {
        loop.wake();
    }

    /** Writes everything waiting, batch by batch; stops at the first failure, keeping that batch. */
    synchronized void flush() {
        while (true) {
            if (pending.isEmpty()) {
                pending = buffer.take(InvocationRecorder.BATCH_SIZE);
                if (pending.isEmpty()) {
                    return;
                }
            }
            repository.insert(pending);
            pending = List.of();
            buffer.written();
        }
    }
}
