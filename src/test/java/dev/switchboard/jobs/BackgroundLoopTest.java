package dev.switchboard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The loop every background task shares: ticks, one warning per failure streak, recovery, wake and stop. */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundLoopTest {

    @Test
    void warnsOncePerStreakOfFailuresAndSaysWhenItRecovers(CapturedOutput output) {
        AtomicInteger ticks = new AtomicInteger();
        BackgroundLoop loop = new BackgroundLoop("test-loop", () -> {
            int n = ticks.incrementAndGet();
            if (n >= 3 && n < 6) {
                throw new IllegalStateException("database away " + n);
            }
        }, () -> Duration.ofMillis(10), LoggerFactory.getLogger(BackgroundLoopTest.class), "Ticking failed: {}",
                "Ticking again");
        loop.start(Duration.ZERO);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 8);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
        assertThat(output.getOut().lines().filter(l -> l.contains("Ticking failed"))).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("database away 3"));
        assertThat(output.getOut().lines().filter(l -> l.contains("Ticking again"))).hasSize(1);
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void wakeTicksAtOnceAndStopEndsTheWait() {
        AtomicInteger ticks = new AtomicInteger();
        BackgroundLoop loop = new BackgroundLoop("test-loop", ticks::incrementAndGet, () -> Duration.ofHours(1),
                LoggerFactory.getLogger(BackgroundLoopTest.class), "failed: {}", "recovered");
        loop.start(Duration.ZERO);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() == 1);
        loop.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() == 2);
        long before = System.nanoTime();
        loop.stop(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("stop does not wait out the hour")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(loop.isRunning()).isFalse();
    }
}
