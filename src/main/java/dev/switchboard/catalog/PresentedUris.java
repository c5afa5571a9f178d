package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Table;

/**
 * A virtual server presents at most one resource per URI (and one template per URI template): a client reads a
 * resource by its URI alone. Several upstreams may serve one URI, so the catalog holds each of them, and this check
 * runs inside the transaction that changes a membership or a URI, so a clash rolls the change back. The URIs are
 * compared in Java: grouping on a long text column compares only a prefix on MariaDB (max_sort_length).
 */
final class PresentedUris {

    private final Table<Record> members = Columns.table("virtual_server_resource");
    private final Field<UUID> server;
    private final Field<UUID> member;
    private final Table<Record> resource = Columns.table("resource");
    private final Field<UUID> resourceId;
    private final Field<String> uri;
    private final Field<Boolean> template;

    PresentedUris(Columns c) {
        server = c.uuid(members, "virtual_server_id");
        member = c.uuid(members, "resource_id");
        resourceId = c.uuid(resource, "id");
        uri = c.text(resource, "uri");
        template = c.bool(resource, "is_template");
    }

    /** A URI as a virtual server presents it: a fixed resource's URI and a template's are told apart. */
    record Presented(boolean template, String uri) {

        /** How a conflict names the entry that holds it. */
        String one() {
            return (template ? "a resource template with the URI template '" : "a resource with the URI '")
                    + EntryRules.shorten(uri) + "'";
        }

        /** How a conflict names two entries that would both hold it. */
        String two() {
            return (template ? "two resource templates with the URI template '" : "two resources with the URI '")
                    + EntryRules.shorten(uri) + "'";
        }
    }

    private record Held(UUID server, Presented presented) {
    }

    /** Fails if any of {@code serverIds} now holds two resources with one URI, or two templates with one template. */
    void requireUnique(DSLContext dsl, Collection<UUID> serverIds, String field) {
        if (serverIds.isEmpty()) {
            return;
        }
        Set<Held> seen = new HashSet<>();
        for (Record3<UUID, Boolean, String> r : dsl.select(server, template, uri).from(members)
                .join(resource).on(resourceId.eq(member)).where(server.in(serverIds)).fetch()) {
            Presented presented = new Presented(r.value2(), r.value3());
            if (!seen.add(new Held(r.value1(), presented))) {
                throw new NameTakenException(field, "the virtual server " + r.value1() + " would present "
                        + presented.two());
            }
        }
    }

    /** The virtual servers that contain the resource. */
    Collection<UUID> serversOf(DSLContext dsl, UUID resourceId) {
        return dsl.select(server).from(members).where(member.eq(resourceId)).fetch(server);
    }
}
