package dev.switchboard.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job-claims scenario end to end at smoke size, and its double-claim counter on claims made up to collide. */
class JobClaimsTest {

    @EngineTest
    void workerProcessesClaimJobsAndNoRunIsClaimedTwice(TestEngine engine, @TempDir Path workDir) {
        List<Measurement> measurements = JobClaims.run(Plan.smoke(), engine, workDir);

        String engineName = engine.engine().name().toLowerCase(Locale.ROOT);
        int workers = engine.engine() == Engine.SQLITE ? 1 : Plan.smoke().claimWorkers();
        assertThat(measurements).extracting(Measurement::metric).containsExactly(Metric.CLAIMS, Metric.DOUBLE_CLAIMS);
        assertThat(measurements).allSatisfy(m -> {
            assertThat(m.scenario()).isEqualTo(Scenario.JOB_CLAIMS);
            assertThat(m.subject()).isEqualTo("claims");
            assertThat(m.engine()).isEqualTo(engineName);
            assertThat(m.concurrency()).isEqualTo(workers);
            assertThat(m.runs()).hasSize(Plan.smoke().repetitions());
        });
        assertThat(measurements.get(0).median()).isPositive();
        assertThat(measurements.get(1).median()).isZero();
    }

    @Test
    void theDoubleClaimCounterCountsEachRunClaimedMoreThanOnce() {
        Instant slot = Instant.parse("2026-01-02T03:04:05.123456Z");
        Instant next = slot.plusNanos(1000);
        List<ClaimRecord> claims = List.of(
                new ClaimRecord("a", slot, true),
                new ClaimRecord("a", next, true),   // the next run of the same job: not a double claim
                new ClaimRecord("b", slot, true),   // another job in the same slot: not a double claim
                new ClaimRecord("c", slot, true),
                new ClaimRecord("c", slot, false),  // claimed twice, once during warm-up: still a double claim
                new ClaimRecord("d", next, true),
                new ClaimRecord("d", next, true),
                new ClaimRecord("d", next, true));  // one run claimed three times counts once

        assertThat(JobClaims.doubleClaims(claims)).isEqualTo(2);
        assertThat(JobClaims.doubleClaims(claims.subList(0, 4))).isZero();
    }

    @Test
    void aClaimRecordSurvivesItsFileLine() {
        ClaimRecord claim = new ClaimRecord("claims-1-7", Instant.parse("2026-01-02T03:04:05.123456Z"), false);

        assertThat(ClaimRecord.parse(claim.line())).isEqualTo(claim);
    }
}
