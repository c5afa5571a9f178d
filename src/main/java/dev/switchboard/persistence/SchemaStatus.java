package dev.switchboard.persistence;

import java.util.List;

/**
 * Where the database's schema stands against the changelog this build carries.
 *
 * @param known   changesets in this build's changelog
 * @param pending changesets of this build not yet applied ("id::author")
 * @param unknown changesets applied by a newer build that this one does not know
 */
public record SchemaStatus(int known, List<String> pending, List<String> unknown) {

    public SchemaStatus {
        pending = List.copyOf(pending);
        unknown = List.copyOf(unknown);
    }

    /** True when every changeset of this build has been applied. */
    public boolean current() {
        return pending.isEmpty();
    }
}
