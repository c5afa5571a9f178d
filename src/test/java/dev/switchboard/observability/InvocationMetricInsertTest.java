package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The batch insert skips ids already stored, and nothing else: every other error still fails the whole batch. */
class InvocationMetricInsertTest {

    @EngineTest
    void aBatchWrittenAgainStoresEachInvocationOnce(TestEngine engine) {
        InvocationMetricRepository repository = new InvocationMetricRepository(engine.shared().transactions());
        List<Invocation> batch = batch(1200);
        long before = repository.count();
        repository.insert(batch.subList(0, 700));
        // Written again whole, as after a commit whose answer was lost, with more behind it.
        repository.insert(batch);
        repository.insert(batch);
        assertThat(repository.count() - before).isEqualTo(1200);
    }

    @EngineTest
    void aRowTheTableRefusesStillFailsTheBatchAndNothingIsStored(TestEngine engine) {
        InvocationMetricRepository repository = new InvocationMetricRepository(engine.shared().transactions());
        List<Invocation> batch = new ArrayList<>(batch(3));
        // entity_id is NOT NULL: INSERT IGNORE would store this row with '' on MariaDB and MySQL.
        batch.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, null, Instant.now().truncatedTo(ChronoUnit.MICROS),
                1, true, null));
        long before = repository.count();
        assertThatThrownBy(() -> repository.insert(batch)).isInstanceOf(DataAccessFailure.class);
        assertThat(repository.count()).isEqualTo(before);
    }

    private static List<Invocation> batch(int size) {
        UUID tool = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Invocation> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            batch.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, tool, now.plusMillis(i), i, true, null));
        }
        return batch;
    }
}
