package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Changelog;
import dev.switchboard.testing.Changelog.ChangeSet;
import dev.switchboard.testing.Changelog.Column;
import dev.switchboard.testing.Changelog.Index;
import dev.switchboard.testing.Changelog.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every identifier in the changelog has at most 60 characters (PostgreSQL silently truncates past 63 and
 * MariaDB rejects past 64) and follows the naming convention, and every changeset can be rolled back.
 */
class ChangelogLintTest {

    private static final int MAX_IDENTIFIER = 60;
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Set<String> KINDS = Set.of("uuid", "json", "timestamp", "boolean", "name", "string", "code",
            "text", "blob", "hash", "bigint", "int");

    private final List<ChangeSet> changeSets = Changelog.changeSets();

    @Test
    void theChangelogIsNotEmpty() {
        assertThat(changeSets).isNotEmpty();
        assertThat(changeSets.stream().flatMap(cs -> cs.tables().stream())).isNotEmpty();
    }

    @Test
    void everyIdentifierIsShortLowerSnakeCase() {
        List<String> problems = new ArrayList<>();
        for (String id : identifiers()) {
            if (id.length() > MAX_IDENTIFIER) {
                problems.add(id + " has " + id.length() + " characters");
            }
            if (!SNAKE.matcher(id).matches()) {
                problems.add(id + " is not lower snake case");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void constraintAndIndexNamesFollowTheConvention() {
        List<String> problems = new ArrayList<>();
        for (ChangeSet cs : changeSets) {
            for (Table t : cs.tables()) {
                for (Column c : t.columns()) {
                    expect(problems, c.primaryKeyName(), "pk_" + t.name());
                    expect(problems, c.foreignKeyName(), "fk_" + t.name() + "_" + c.name());
                    if (!c.foreignKeyName().isEmpty()) {
                        assertThat(c.referencedTable()).as(c.foreignKeyName()).isNotEmpty();
                    }
                }
            }
            for (Index ix : cs.indexes()) {
                String expected = (ix.unique() ? "ux_" : "ix_") + ix.table() + "_" + String.join("_", ix.columns());
                expect(problems, ix.name(), expected);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyChangesetHasAnExplicitRollback() {
        assertThat(changeSets).allSatisfy(cs -> assertThat(cs.hasRollback()).as(cs.id()).isTrue());
    }

    @Test
    void changesetIdsAreUniqueAndNameTheirRelease() {
        Set<String> seen = new HashSet<>();
        for (ChangeSet cs : changeSets) {
            assertThat(seen.add(cs.id())).as("duplicate changeset id " + cs.id()).isTrue();
            String release = cs.file().replaceAll(".*/", "").replace(".xml", "");
            assertThat(cs.id()).startsWith(release + "-");
        }
    }

    @Test
    void everyColumnDeclaresItsMeaningThroughATypeProperty() {
        for (ChangeSet cs : changeSets) {
            for (Table t : cs.tables()) {
                for (Column c : t.columns()) {
                    assertThat(KINDS).as(t.name() + "." + c.name() + " uses type " + c.kind()).contains(c.kind());
                }
            }
        }
    }

    @Test
    void foreignKeyColumnsAreIndexedSoEnginesAgreeOnIndexes() {
        // MariaDB creates an index for an unindexed foreign key by itself; PostgreSQL and SQLite do not.
        for (ChangeSet cs : changeSets) {
            for (Table t : cs.tables()) {
                List<String> pk = t.columns().stream().filter(c -> !c.primaryKeyName().isEmpty()).map(Column::name).toList();
                for (Column c : t.columns()) {
                    if (c.foreignKeyName().isEmpty()) {
                        continue;
                    }
                    boolean leadsPk = !pk.isEmpty() && pk.getFirst().equals(c.name());
                    boolean leadsIndex = cs.indexes().stream()
                            .anyMatch(ix -> ix.table().equals(t.name()) && ix.columns().getFirst().equals(c.name()));
                    assertThat(leadsPk || leadsIndex).as(t.name() + "." + c.name() + " needs an index").isTrue();
                }
            }
        }
    }

    private List<String> identifiers() {
        List<String> ids = new ArrayList<>();
        for (ChangeSet cs : changeSets) {
            for (Table t : cs.tables()) {
                ids.add(t.name());
                for (Column c : t.columns()) {
                    ids.add(c.name());
                    addIfPresent(ids, c.primaryKeyName());
                    addIfPresent(ids, c.foreignKeyName());
                }
            }
            cs.indexes().forEach(ix -> ids.add(ix.name()));
        }
        return ids;
    }

    private static void addIfPresent(List<String> ids, String id) {
        if (!id.isEmpty()) {
            ids.add(id);
        }
    }

    private static void expect(List<String> problems, String actual, String expected) {
        if (!actual.isEmpty() && !actual.equals(expected)) {
            problems.add(actual + " should be named " + expected);
        }
    }
}
