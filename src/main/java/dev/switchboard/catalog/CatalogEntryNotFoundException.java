package dev.switchboard.catalog;

import java.util.UUID;

/** No catalog entry of this kind has this id (HTTP 404). */
public class CatalogEntryNotFoundException extends RuntimeException {

    public CatalogEntryNotFoundException(String noun, UUID id) {
        super("no " + noun + " has the id " + id);
    }
}
