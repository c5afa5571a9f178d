package dev.switchboard.catalog;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What every catalog entity shares: identity, a unique name, tags, an owning team, an on/off switch and a version
 * for optimistic locking.
 */
public interface CatalogEntry {

    UUID id();

    String name();

    Set<String> tags();

    /** The team that owns the entry: its members see it, and its editors will manage it. */
    UUID teamId();

    boolean enabled();

    Instant createdAt();

    Instant updatedAt();

    long version();
}
