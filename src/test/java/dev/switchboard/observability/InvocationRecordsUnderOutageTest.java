package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.ConnectionTarget;
import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every recorded invocation reaches invocation_metric exactly once, whatever the database does meanwhile: on a
 * server the connections are cut again and again (some cuts just after a COMMIT reached the server, before its
 * answer came back), on SQLite another connection holds the write lock; and a database that stays away at shutdown
 * is waited for no longer than the grace period, with the exact number lost in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvocationRecordsUnderOutageTest {

    private static final int PRODUCERS = 4;

    @EngineTest
    void everyCompletedInvocationIsStoredExactlyOnceThroughOutages(TestEngine engine, CapturedOutput output)
            throws Exception {
        String url = engine.newDatabaseUrl();
        Outage outage = Outage.on(engine, url);
        long completed;
        try (outage) {
            GatewayUnderTest gateway = GatewayUnderTest.start(outage.gatewayUrl(), Map.of(
                    "SWITCHBOARD_METRICS_FLUSH_INTERVAL", "PT0.05S",
                    "SWITCHBOARD_METRICS_BUFFER_CAPACITY", "1000000",
                    "SWITCHBOARD_METRICS_ROLLUP_INTERVAL", "PT30M",
                    "SWITCHBOARD_METRICS_SHUTDOWN_GRACE", "PT60S",
                    "DB_POOL_TIMEOUT_MS", "1000"));
            InvocationRecorder recorder = gateway.bean(InvocationRecorder.class);
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong calls = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                producers.add(Thread.ofVirtual().start(() -> produce(recorder, producing, calls)));
            }
            try {
                outage.rounds(new Random(), () -> calls.get());
            } finally {
                producing.set(false);
                for (Thread t : producers) {
                    assertThat(t.join(Duration.ofSeconds(30))).isTrue();
                }
                outage.end();
            }
            completed = calls.get();
            // A clean shutdown writes what is still buffered.
            gateway.close();
        }
        assertThat(completed).isGreaterThan(10_000);
        assertThat(output.getOut()).doesNotContain("could not be written before shutdown")
                .doesNotContain("metrics buffer is full");
        assertThat(rows(url, "invocation_metric")).isEqualTo(completed);
        assertThat(rows(url, "audit_event")).as("each invocation's audit row, exactly once").isEqualTo(completed);
    }

    @EngineTest
    void shutdownWaitsForAnAbsentDatabaseNoLongerThanTheGracePeriodAndCountsWhatIsLost(TestEngine engine,
                                                                                      CapturedOutput output)
            throws Exception {
        String url = engine.newDatabaseUrl();
        Outage outage = Outage.on(engine, url);
        Duration took;
        try (outage) {
            GatewayUnderTest gateway = GatewayUnderTest.start(outage.gatewayUrl(), Map.of(
                    "SWITCHBOARD_METRICS_FLUSH_INTERVAL", "PT1H",
                    "SWITCHBOARD_METRICS_SHUTDOWN_GRACE", "PT2S",
                    "DB_POOL_TIMEOUT_MS", "1000"));
            InvocationRecorder recorder = gateway.bean(InvocationRecorder.class);
            outage.begin();
            UUID tool = UUID.randomUUID();
            for (int i = 0; i < 1234; i++) {
                recorder.record(EntityType.TOOL, tool, "t", Instant.now(), Duration.ofMillis(1), true, null, null);
            }
            // The writer's own shutdown, timed apart from the other beans' (which wait for the database on their
            // own terms); closing the gateway then finds it stopped and reports.
            InvocationMetricWriter writer = gateway.bean(InvocationMetricWriter.class);
            Instant stopping = Instant.now();
            writer.stop();
            took = Duration.between(stopping, Instant.now());
            gateway.close();
            outage.end();
        }
        // Each invocation is also an audit row (as system's: nothing called it over MCP), lost alike.
        assertThat(output.getOut()).contains("1234 invocation records and 1234 audit rows could not be written"
                + " before shutdown and are lost");
        // The grace period was waited for, and not much longer: an attempt still waiting for the database at its
        // end is interrupted and given 2 s to notice.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(5));
        assertThat(rows(url, "invocation_metric")).isZero();
    }

    /** Records invocations until told to stop, at a pace the database can keep up with between outages. */
    private static void produce(InvocationRecorder recorder, AtomicBoolean producing, AtomicLong calls) {
        UUID tool = UUID.randomUUID();
        while (producing.get()) {
            for (int i = 0; i < 25; i++) {
                recorder.record(EntityType.TOOL, tool, "t", Instant.now(), Duration.ofNanos(i * 1000L), i % 7 != 0,
                        i % 7 == 0 ? "timeout" : null, null);
                calls.incrementAndGet();
            }
            try {
                // Pacing: time must pass between bursts, or the producers would outrun any database.
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The rows in {@code table}, read over a connection of the test's own, straight to the database. */
    private static long rows(String url, String table) throws SQLException {
        ConnectionTarget target = DatabaseUrl.parse(url);
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.driverProperties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How a database is made unavailable: connections cut at a proxy, or SQLite's write lock held elsewhere. */
    private abstract static class Outage implements AutoCloseable {

        static Outage on(TestEngine engine, String url) {
            if (Dialect.of(engine.engine()).embedded()) {
                return new LockHeld(url);
            }
            // The PostgreSQL driver turns a statement it has run five times on a connection into a server-prepared
            // one, sent without its text: a long-lived connection's COMMIT would then never show its marker.
            return new ConnectionsCut(engine.engine() == Engine.POSTGRESQL
                    ? url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0" : url);
        }

        /** The database URL the gateway is given. */
        abstract String gatewayUrl();

        /** The database becomes unavailable. */
        abstract void begin() throws Exception;

        /** The database is back. */
        abstract void end() throws Exception;

        /** Several outages at random points while invocations are recorded. */
        abstract void rounds(Random random, LongSupplier calls) throws Exception;

        @Override
        public abstract void close() throws Exception;
    }

    private static final class ConnectionsCut extends Outage {
        private final TcpProxy.Routed routed;

        ConnectionsCut(String url) {
            routed = TcpProxy.forDatabaseUrl(url);
        }

        @Override
        String gatewayUrl() {
            return routed.url();
        }

        @Override
        void begin() {
            routed.proxy().cut();
        }

        @Override
        void end() {
            routed.proxy().restore();
        }

        @Override
        void rounds(Random random, LongSupplier calls) throws Exception {
            TcpProxy proxy = routed.proxy();
            for (int round = 0; round < 8; round++) {
                if (round % 2 == 0) {
                    // The COMMIT reaches the server, which commits; its answer never comes back.
                    int trips = proxy.trips();
                    proxy.cutWhenClientSends("COMMIT");
                    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.trips() > trips);
                } else {
                    // Time must pass, a random amount, so that the cut lands at a random point: mid-statement,
                    // mid-commit, or between writes. There is no condition to wait for.
                    Thread.sleep(random.nextInt(200));
                }
                proxy.cut();
                // Time must pass: the outage lasts a while, and calls keep being recorded meanwhile.
                Thread.sleep(200 + random.nextInt(400));
                proxy.restore();
                long before = calls.getAsLong();
                // Time must pass with the database back, so that writes resume (and may be cut again) before the
                // next outage; the rows are counted only at the end, after a clean shutdown.
                Thread.sleep(300 + random.nextInt(300));
                assertThat(calls.getAsLong()).isGreaterThan(before);
            }
        }

        @Override
        public void close() {
            routed.proxy().close();
        }
    }

    /** SQLite: a second connection to the same file holds the write lock, as another writer would. */
    private static final class LockHeld extends Outage {
        private final String url;
        private Connection holder;

        LockHeld(String url) {
            this.url = url;
        }

        @Override
        String gatewayUrl() {
            return url;
        }

        @Override
        void begin() throws SQLException {
            ConnectionTarget target = DatabaseUrl.parse(url);
            holder = DriverManager.getConnection(target.jdbcUrl(), target.driverProperties());
            try (Statement s = holder.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
            }
        }

        @Override
        void end() throws SQLException {
            if (holder != null) {
                try (Statement s = holder.createStatement()) {
                    s.execute("ROLLBACK");
                }
                holder.close();
                holder = null;
            }
        }

        @Override
        void rounds(Random random, LongSupplier calls) throws Exception {
            for (int round = 0; round < 3; round++) {
                // Time must pass, a random amount, so that the lock is taken at a random point: before, during
                // or after a write transaction.
                Thread.sleep(random.nextInt(200));
                begin();
                // Time must pass: the lock is held a while, within the writers' busy timeout or beyond it.
                Thread.sleep(1000 + random.nextInt(2000));
                end();
                // Time must pass with the lock free, so that writes resume before the next lock is taken.
                Thread.sleep(300 + random.nextInt(300));
            }
        }

        @Override
        public void close() throws SQLException {
            end();
        }
    }
}
