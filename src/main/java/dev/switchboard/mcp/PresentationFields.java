package dev.switchboard.mcp;

import dev.switchboard.protocol.Revision;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code title}, {@code icons} and {@code _meta} an upstream sent for a tool, resource, template or prompt,
 * added to its entry in a list as sent, each only at the revisions that define it, so an older client meets only
 * what it knows. A title the catalog already gave the entry (its own column) stays.
 */
final class PresentationFields {

    private PresentationFields() {
    }

    static void add(ObjectNode entry, Optional<ObjectNode> sent, String version) {
        if (sent.isEmpty()) {
            return;
        }
        Revision revision = Revision.of(version);
        ObjectNode fields = sent.get();
        if (revision.hasTitles() && !entry.has("title") && fields.has("title")) {
            entry.set("title", fields.get("title"));
        }
        if (revision.hasIcons() && fields.has("icons")) {
            entry.set("icons", fields.get("icons"));
        }
        if (revision.hasEntryMeta() && fields.has("_meta")) {
            entry.set("_meta", fields.get("_meta"));
        }
    }

    /**
     * One argument of a federated prompt as its upstream sent it, without its {@code title} at the revisions that
     * have no titles.
     */
    static JsonNode argument(JsonNode sent, String version) {
        if (sent instanceof ObjectNode fields && fields.has("title") && !Revision.of(version).hasTitles()) {
            ObjectNode copy = fields.deepCopy();
            copy.remove("title");
            return copy;
        }
        return sent;
    }
}
