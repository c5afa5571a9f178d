package dev.switchboard.console;

import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import org.springframework.stereotype.Component;

/**
 * Who the console shows the catalog's write forms to: holders of catalog:write who are held to no team, or who edit
 * at least one. Which entries they may change is the API's to say, entry by entry.
 */
@Component
public class CatalogWriters {

    /** What a page says to someone who may not change virtual servers. */
    static final String SERVERS_REFUSED = "You may not change virtual servers: that needs the catalog:write scope and "
            + "an editor's role in a team.";

    private final UserRights rights;

    CatalogWriters(UserRights rights) {
        this.rights = rights;
    }

    boolean mayWrite(Caller caller) {
        if (!caller.scopes().contains(Scope.CATALOG_WRITE)) {
            return false;
        }
        TeamAccess access = rights.accessOf(caller);
        return access.everything() || !access.editable().isEmpty();
    }
}
