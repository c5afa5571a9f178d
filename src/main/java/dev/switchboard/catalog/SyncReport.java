package dev.switchboard.catalog;

import java.util.ArrayList;
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

        /** "3 added, 1 disabled", or "unchanged" when nothing of this kind was written. */
        String words() {
            List<String> parts = new ArrayList<>();
            count(parts, added, "added");
            count(parts, updated, "updated");
            count(parts, disabled, "disabled");
            count(parts, reenabled, "re-enabled");
            return parts.isEmpty() ? "unchanged" : String.join(", ", parts);
        }

        private static void count(List<String> parts, int n, String what) {
            if (n > 0) {
                parts.add(n + " " + what);
            }
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

    /**
     * The report as a sentence for the log, with how many entries of each kind {@code offer} held: "16 tools (16
     * added), 3 resources (unchanged), 0 resource templates, 2 prompts (1 added, 1 updated)", then what was skipped.
     */
    public String summary(UpstreamOffer offer) {
        StringBuilder text = new StringBuilder()
                .append(kind(offer.tools().size(), "tool", tools)).append(", ")
                .append(kind(offer.resources().size(), "resource", resources)).append(", ")
                .append(kind(offer.templates().size(), "resource template", templates)).append(", ")
                .append(kind(offer.prompts().size(), "prompt", prompts));
        if (!skipped.isEmpty()) {
            text.append("; ").append(skipped.size()).append(skipped.size() == 1 ? " entry" : " entries")
                    .append(" skipped: ");
            for (int i = 0; i < skipped.size(); i++) {
                Skipped s = skipped.get(i);
                text.append(i == 0 ? "" : "; ").append(s.kind()).append(" '").append(s.name()).append("' (")
                        .append(s.reason()).append(')');
            }
        }
        return text.toString();
    }

    private static String kind(int offered, String noun, Counts counts) {
        String text = offered + " " + noun + (offered == 1 ? "" : "s");
        // Nothing offered and nothing written needs no brackets; a vanished kind still says what it disabled.
        return offered == 0 && counts.none() ? text : text + " (" + counts.words() + ")";
    }

    /** Whether the discovery wrote nothing at all. */
    public boolean unchanged() {
        return tools.none() && resources.none() && templates.none() && prompts.none();
    }
}
