package dev.switchboard.catalog.rest;

/** What every request body that creates or replaces a catalog entry carries besides its own fields. */
public interface EntryBody {

    /** The version the client last saw, as an alternative to If-Match; ignored on create. */
    Long version();
}
