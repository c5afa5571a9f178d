package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.UpstreamHealthRepository.Outcome;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Health state on every engine: failures add up to unreachable and a success resets them, without ever raising the
 * upstream's version; flips (and only flips) move the catalog revision, so MCP clients hear of them.
 */
class UpstreamHealthRepositoryTest {

    @EngineTest
    void failuresAddUpToUnreachableAndASuccessBringsItBack(TestEngine engine) {
        Transactions tx = engine.shared().transactions();
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(tx);
        UpstreamHealthRepository health = new UpstreamHealthRepository(tx);
        CatalogRevision revision = new CatalogRevision(tx);
        UpstreamGateway g = gateways.create(CatalogSamples.gateway(CatalogSamples.unique("health"), Set.of()));
        Instant t = Instant.parse("2026-01-02T03:04:05.123456Z");

        assertThat(health.find(g.id())).isEmpty();
        assertThat(health.isAvailable(g.id())).isTrue();
        Outcome first = health.recordFailure(g.id(), t, "unreachable: connection refused", 3).orElseThrow();
        assertThat(first.reachable()).isTrue();
        assertThat(first.flipped()).isFalse();
        String before = revision.current();
        assertThat(health.recordFailure(g.id(), t.plusSeconds(1), "timeout", 3).orElseThrow().flipped()).isFalse();
        assertThat(revision.current()).as("a failure that flips nothing is not a catalog change").isEqualTo(before);

        Outcome third = health.recordFailure(g.id(), t.plusSeconds(2), "x".repeat(5000), 3).orElseThrow();
        assertThat(third.flipped()).isTrue();
        assertThat(third.reachable()).isFalse();
        assertThat(revision.current()).as("a flip is a catalog change").isNotEqualTo(before);
        assertThat(health.find(g.id()).orElseThrow().consecutiveFailures()).isEqualTo(3);
        assertThat(health.find(g.id()).orElseThrow().lastCheckedAt()).isEqualTo(t.plusSeconds(2));
        assertThat(health.find(g.id()).orElseThrow().lastError()).hasSize(UpstreamHealthRepository.MAX_ERROR);
        assertThat(health.unavailableGateways()).contains(g.id());
        assertThat(health.isAvailable(g.id())).isFalse();
        UpstreamGateway down = gateways.get(g.id());
        assertThat(down.reachable()).isFalse();
        assertThat(down.version()).as("health never raises the version an If-Match names").isEqualTo(g.version());

        Outcome fourth = health.recordFailure(g.id(), t.plusSeconds(3), "still down", 3).orElseThrow();
        assertThat(fourth.flipped()).isFalse();
        assertThat(fourth.reachable()).isFalse();

        String whileDown = revision.current();
        Outcome back = health.recordSuccess(g.id(), t.plusSeconds(4)).orElseThrow();
        assertThat(back.flipped()).isTrue();
        assertThat(back.reachable()).isTrue();
        assertThat(revision.current()).isNotEqualTo(whileDown);
        UpstreamGateway up = gateways.get(g.id());
        assertThat(up.reachable()).isTrue();
        assertThat(up.lastSeenAt()).isEqualTo(t.plusSeconds(4));
        assertThat(up.version()).isEqualTo(g.version());
        assertThat(health.find(g.id()).orElseThrow().consecutiveFailures()).isZero();
        assertThat(health.find(g.id()).orElseThrow().lastError()).isNull();
        assertThat(health.unavailableGateways()).doesNotContain(g.id());
        assertThat(health.recordSuccess(g.id(), t.plusSeconds(5)).orElseThrow().flipped()).isFalse();

        // An operator's edit with the version read before all this still applies.
        assertThat(gateways.update(up, g.version()).version()).isEqualTo(g.version() + 1);
    }

    @EngineTest
    void disabledUpstreamsAreUnavailableAndDeletedOnesTakeTheirHealthAlong(TestEngine engine) {
        Transactions tx = engine.shared().transactions();
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(tx);
        UpstreamHealthRepository health = new UpstreamHealthRepository(tx);
        UpstreamGateway g = gateways.create(CatalogSamples.gateway(CatalogSamples.unique("health"), Set.of()));
        health.recordFailure(g.id(), Instant.now(), "refused", 5);
        assertThat(health.enabledGateways()).contains(g.id());

        gateways.setEnabled(g.id(), false);
        assertThat(health.enabledGateways()).doesNotContain(g.id());
        assertThat(health.unavailableGateways()).contains(g.id());
        assertThat(health.isAvailable(g.id())).isFalse();

        assertThat(gateways.delete(g.id())).isTrue();
        assertThat(health.find(g.id())).isEmpty();
        assertThat(health.recordSuccess(g.id(), Instant.now())).isEmpty();
        assertThat(health.recordFailure(g.id(), Instant.now(), "gone", 1)).isEmpty();
        assertThat(health.isAvailable(UUID.randomUUID())).isFalse();
    }

    @EngineTest
    void anEditFromAnOlderReadDoesNotUndoAFlip(TestEngine engine) {
        Transactions tx = engine.shared().transactions();
        UpstreamGatewayRepository gateways = new UpstreamGatewayRepository(tx);
        UpstreamHealthRepository health = new UpstreamHealthRepository(tx);
        UpstreamGateway read = gateways.create(CatalogSamples.gateway(CatalogSamples.unique("health"), Set.of()));
        assertThat(read.reachable()).isTrue();
        health.recordFailure(read.id(), Instant.now(), "refused", 1);

        UpstreamGateway edited = gateways.update(read, read.version());
        assertThat(edited.version()).isEqualTo(read.version() + 1);
        assertThat(edited.reachable()).isFalse();
        assertThat(health.isAvailable(read.id())).isFalse();
    }
}
