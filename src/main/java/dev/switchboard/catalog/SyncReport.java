package dev.switchboard.catalog;

import java.util.List;

/**
 * What one discovery changed in the catalog, per kind, and which offered entries it could not store and why.
 * Entries that did not change are not counted: an idle refresh reports zeros.
 */
public record SyncReport(Counts tools, Counts resources, Counts templates, Counts prompts, List<Skipped> skipped) {

    /** How many entries of one kind were added, updated, disabled because they vanished, and re-enabled. */
    public record Counts(int added, int updated, int disabled, int reenabled) {

        /** Whether nothing of this kind was written. */
        public boolean none() {
            return added == 0 && updated == 0 && disabled == 0 && reenabled == 0;
        }
    }

    /**
     * An offered entry that was not stored.
     *
     * @param kind   tool, resource, template or prompt
     * @param name   the upstream's name (or URI) for it, shortened when very long
     * @param reason why it was left out
     */
    public record Skipped(String kind, String name, String reason) {
    }

    /** Whether the discovery wrote nothing at all. */
    public boolean unchanged() {
        return tools.none() && resources.none() && templates.none() && prompts.none();
    }
}
