package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.persistence.StaleVersionException;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The same behaviour from the repository of every kind of catalog entry, on every engine. */
class RepositoryTest {

    /** One kind of entry: its repository, a sample, and a changed copy (same id, new content and tags). */
    record Kind<T extends CatalogEntry>(String label, Function<Transactions, CatalogRepository<T>> repository,
                                        BiFunction<String, Set<String>, T> sample, UnaryOperator<T> changed) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Kind<?>> kinds() {
        return List.of(
                new Kind<>("gateway", UpstreamGatewayRepository::new, CatalogSamples::gateway,
                        g -> new UpstreamGateway(g.id(), g.name(), g.slug() + "-2", "changed", Transport.STDIO, null,
                                "{\"command\":\"npx\"}", null, AuthType.NONE, null, null, null, g.enabled(), false,
                                null, Set.of("changed"), null, null, null, 0)),
                new Kind<>("tool", ToolRepository::new, CatalogSamples::restTool,
                        t -> new Tool(t.id(), null, t.name(), null, "changed display", IntegrationType.REST, "changed",
                                "{\"type\":\"object\"}", null, null, null, AuthType.BASIC, "ct", t.enabled(),
                                Set.of("changed"), null, null, null, 0)),
                new Kind<>("resource", ResourceRepository::new, CatalogSamples::resource,
                        r -> new Resource(r.id(), null, r.uri() + "/v2", false, r.name(), "changed", "changed",
                                "text/markdown", 3L, "new", null, null, r.enabled(), Set.of("changed"), null, null,
                                null, 0)),
                new Kind<>("prompt", PromptRepository::new, CatalogSamples::prompt,
                        p -> new Prompt(p.id(), null, p.name(), null, p.displayName(), "changed", "changed", "Bye {{who}}",
                                List.of(new Prompt.PromptArgument("who", "changed", false)), p.enabled(),
                                Set.of("changed"), null, null, null, 0)),
                new Kind<>("virtual server", VirtualServerRepository::new, CatalogSamples::server,
                        s -> new VirtualServer(s.id(), s.name(), "changed", "changed too", null, s.enabled(), Set.of("changed"),
                                s.teamId(), Visibility.PRIVATE, null, null, null, null, 0)));
    }

    @EngineTest
    void createReadUpdateWithOptimisticLockingAndDelete(TestEngine engine) {
        for (Kind<?> kind : kinds()) {
            crud(engine, kind);
        }
    }

    private static <T extends CatalogEntry> void crud(TestEngine engine, Kind<T> kind) {
        CatalogRepository<T> repo = kind.repository().apply(engine.shared().transactions());
        T created = repo.create(kind.sample().apply(CatalogSamples.unique(kind.label()), Set.of("a", "b")));
        assertThat(created.version()).as(kind.label()).isEqualTo(1);
        assertThat(created.tags()).containsExactly("a", "b");
        assertThat(repo.get(created.id())).isEqualTo(created);

        T updated = repo.update(kind.changed().apply(created), 1);
        assertThat(updated.version()).as(kind.label()).isEqualTo(2);
        assertThat(updated.tags()).containsExactly("changed");
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(created.updatedAt());
        assertThat(updated).isNotEqualTo(created);

        assertThatThrownBy(() -> repo.update(kind.changed().apply(created), 1))
                .as(kind.label()).isInstanceOf(StaleVersionException.class).hasMessageContaining("version 2");
        assertThat(repo.get(created.id())).isEqualTo(updated);

        T disabled = repo.setEnabled(created.id(), false);
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.version()).isEqualTo(3);

        assertThat(repo.delete(created.id())).isTrue();
        assertThat(repo.find(created.id())).isEmpty();
        assertThatThrownBy(() -> repo.update(kind.changed().apply(created), 3))
                .isInstanceOf(CatalogEntryNotFoundException.class);
        assertThatThrownBy(() -> repo.setEnabled(UUID.randomUUID(), true))
                .isInstanceOf(CatalogEntryNotFoundException.class);
    }

    /** MCP clients hear of changes through this fingerprint, so every kind of write must move it. */
    @EngineTest
    void theCatalogRevisionMovesWithEveryWrite(TestEngine engine) {
        CatalogRevision revision = new CatalogRevision(engine.shared().transactions());
        for (Kind<?> kind : kinds()) {
            revisionMoves(engine, kind, revision);
        }
    }

    private static <T extends CatalogEntry> void revisionMoves(TestEngine engine, Kind<T> kind,
                                                               CatalogRevision revision) {
        CatalogRepository<T> repo = kind.repository().apply(engine.shared().transactions());
        String before = revision.current();
        assertThat(revision.current()).as("a read changes nothing").isEqualTo(before);
        T created = repo.create(kind.sample().apply(CatalogSamples.unique(kind.label()), Set.of()));
        String afterCreate = revision.current();
        assertThat(afterCreate).as(kind.label()).isNotEqualTo(before);
        repo.update(kind.changed().apply(created), 1);
        String afterUpdate = revision.current();
        assertThat(afterUpdate).as(kind.label()).isNotEqualTo(afterCreate);
        repo.setEnabled(created.id(), false);
        String afterDisable = revision.current();
        assertThat(afterDisable).as(kind.label()).isNotEqualTo(afterUpdate);
        assertThat(repo.delete(created.id())).isTrue();
        String afterDelete = revision.current();
        assertThat(afterDelete).as(kind.label()).isNotEqualTo(afterDisable);
        // One entry gone and another come, at version 1 like the first: the count and the sum are back where
        // they were, and only the latest change time tells.
        T second = repo.create(kind.sample().apply(CatalogSamples.unique(kind.label()), Set.of()));
        String swapped = revision.current();
        repo.delete(second.id());
        T third = repo.create(kind.sample().apply(CatalogSamples.unique(kind.label()), Set.of()));
        assertThat(revision.current()).as(kind.label()).isNotEqualTo(swapped);
        repo.delete(third.id());
    }

    @EngineTest
    void listingPagesThroughEveryEntryOnceInOrderAndFiltersByTagAndEnabled(TestEngine engine) {
        for (Kind<?> kind : kinds()) {
            pages(engine, kind);
        }
    }

    private static <T extends CatalogEntry> void pages(TestEngine engine, Kind<T> kind) {
        CatalogRepository<T> repo = kind.repository().apply(engine.shared().transactions());
        String tag = CatalogSamples.unique("page");
        // Same-length alphanumeric names sort the same under every collation.
        String prefix = "pg" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            T entry = repo.create(kind.sample().apply(prefix + "n" + String.format("%02d", i), Set.of(tag, "other")));
            created.add(entry.id());
            if (i % 5 == 0) {
                repo.setEnabled(entry.id(), false);
            }
        }
        repo.create(kind.sample().apply(prefix + "untagged", Set.of("other")));

        List<T> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        ListQuery query = ListQuery.first(10).withTag(tag);
        Page<T> page;
        do {
            page = repo.list(query);
            seen.addAll(page.items());
            sizes.add(page.items().size());
            query = query.after(page.nextCursor());
        } while (page.nextCursor() != null);

        assertThat(sizes).as(kind.label()).containsExactly(10, 10, 5);
        assertThat(seen).extracting(CatalogEntry::id).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).extracting(CatalogEntry::name).isSorted();
        assertThat(repo.list(ListQuery.first(100).withTag(tag).withEnabled(false)).items()).hasSize(5)
                .allSatisfy(e -> assertThat(e.enabled()).isFalse());
        assertThat(repo.list(ListQuery.first(100).withTag(tag).withEnabled(true)).items()).hasSize(20);
        assertThat(repo.list(ListQuery.first(100).withTag(CatalogSamples.unique("none"))).items()).isEmpty();
    }

    @EngineTest
    void ofManyConcurrentUpdatesOfOneVersionExactlyOneWins(TestEngine engine) throws Exception {
        ToolRepository tools = new ToolRepository(engine.shared().transactions());
        Tool tool = tools.create(CatalogSamples.restTool(CatalogSamples.unique("race"), Set.of()));
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                String description = "writer " + i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        tools.update(new Tool(tool.id(), null, tool.name(), null, tool.displayName(),
                                IntegrationType.REST, description, tool.inputSchema(), null, null, null, AuthType.NONE,
                                null, true, Set.of(description), null, null, null, 0), 1);
                        return true;
                    } catch (StaleVersionException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            List<Boolean> won = new ArrayList<>();
            for (Future<Boolean> f : outcomes) {
                won.add(f.get(2, TimeUnit.MINUTES));
            }
            assertThat(won).containsOnlyOnce(true);
        }
        Tool after = tools.get(tool.id());
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.tags()).containsExactly(after.description());
    }

    @EngineTest
    void aCursorThatWasNotIssuedIsRejected(TestEngine engine) {
        ToolRepository tools = new ToolRepository(engine.shared().transactions());
        assertThatThrownBy(() -> tools.list(ListQuery.first(5).after("not-a-cursor")))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> ListQuery.first(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
