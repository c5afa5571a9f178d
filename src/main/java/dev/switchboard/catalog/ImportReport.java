package dev.switchboard.catalog;

import java.util.List;
import java.util.UUID;

/**
 * What an import did, or, on a dry run or when it met conflicts or refusals, what it would have done. With any
 * conflict or refusal nothing is applied.
 *
 * @param applied   true when the changes are now in the registry
 * @param conflicts entries that cannot be imported as they are (a name taken, a team or upstream missing)
 * @param refused   entries the caller may not create or change: they belong, or would belong, to a team the caller
 *                  does not edit
 * @param unchanged how many entries were already exactly as the document has them
 */
public record ImportReport(boolean dryRun, boolean applied, List<Change> changes, List<Conflict> conflicts,
                           List<Conflict> refused, int unchanged) {

    /** An entry that is (or would be) created or updated. */
    public record Change(String kind, UUID id, String name, String action) {
    }

    /** An entry that cannot be imported, and why. */
    public record Conflict(String kind, UUID id, String name, String reason) {
    }
}
