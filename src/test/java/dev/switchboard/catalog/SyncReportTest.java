package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.SyncReport.Counts;
import dev.switchboard.catalog.SyncReport.Skipped;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The discovery report reads as a sentence in the server log, not as a printed record. */
class SyncReportTest {

    private static final Counts NONE = new Counts(0, 0, 0, 0);

    @Test
    void aFirstDiscoverySaysHowManyOfEachKindWereOfferedAndAdded() {
        SyncReport report = new SyncReport(new Counts(16, 0, 0, 0), NONE, NONE, new Counts(1, 1, 0, 0), List.of());
        UpstreamOffer offer = new UpstreamOffer("2025-11-25", entries(16), entries(3), List.of(), entries(2));

        assertThat(report.summary(offer)).isEqualTo(
                "16 tools (16 added), 3 resources (unchanged), 0 resource templates, 2 prompts (1 added, 1 updated)");
    }

    @Test
    void vanishedAndSkippedEntriesAreNamed() {
        SyncReport report = new SyncReport(new Counts(0, 0, 2, 1), NONE, NONE, NONE,
                List.of(new Skipped("tool", "bad name", "the name has a space")));
        UpstreamOffer offer = new UpstreamOffer("2025-11-25", entries(1), List.of(), List.of(), List.of());

        assertThat(report.summary(offer)).isEqualTo("1 tool (2 disabled, 1 re-enabled), 0 resources,"
                + " 0 resource templates, 0 prompts; 1 entry skipped: tool 'bad name' (the name has a space)");
    }

    private static List<JsonNode> entries(int n) {
        return Collections.nCopies(n, JsonNodeFactory.instance.objectNode());
    }
}
