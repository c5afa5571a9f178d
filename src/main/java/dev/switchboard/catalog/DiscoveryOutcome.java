package dev.switchboard.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.catalog.SyncReport.Counts;
import dev.switchboard.catalog.SyncReport.Skipped;
import java.util.List;

/**
 * How a discovery of an upstream went, as the API reports it: completed with what it changed, failed with why
 * (the upstream could not be reached or answered with an error), or not run (the upstream is disabled).
 *
 * @param status completed, failed or skipped
 * @param detail for failed and skipped: why, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscoveryOutcome(String status, String protocolVersion, Counts tools, Counts resources,
                               Counts templates, Counts prompts, List<Skipped> skipped, String detail) {

    public static DiscoveryOutcome completed(String protocolVersion, SyncReport report) {
        return new DiscoveryOutcome("completed", protocolVersion, report.tools(), report.resources(),
                report.templates(), report.prompts(), report.skipped(), null);
    }

    public static DiscoveryOutcome failed(String detail) {
        return new DiscoveryOutcome("failed", null, null, null, null, null, null, detail);
    }

    public static DiscoveryOutcome notRun(String detail) {
        return new DiscoveryOutcome("skipped", null, null, null, null, null, null, detail);
    }
}
