package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Stores upstream MCP servers. */
@Repository
public class UpstreamGatewayRepository extends CatalogRepository<UpstreamGateway> {

    public UpstreamGatewayRepository(Transactions transactions) {
        super(transactions, Mapping::new);
    }

    private static final class Mapping extends EntityMapping<UpstreamGateway> {
        final Field<String> slug;
        final Field<String> description;
        final Field<String> transport;
        final Field<String> url;
        final Field<String> command;
        final Field<String> commandSecret;
        final Field<String> authType;
        final Field<String> authSecret;
        final Field<String> options;
        final Field<String> protocolVersion;
        final Field<Boolean> reachable;
        final Field<Instant> lastSeenAt;
        final Field<String> instructions;

        private final Columns columns;

        Mapping(Columns c) {
            super(c, "upstream_gateway", "upstream_gateway_tag", "gateway_id");
            columns = c;
            slug = column(c.text(table, "slug"));
            description = column(c.text(table, "description"));
            transport = column(c.text(table, "transport"));
            url = column(c.text(table, "url"));
            command = column(c.json(table, "command"));
            commandSecret = column(c.text(table, "command_secret"));
            authType = column(c.text(table, "auth_type"));
            authSecret = column(c.text(table, "auth_secret"));
            options = column(c.json(table, "options"));
            protocolVersion = column(c.text(table, "protocol_version"));
            reachable = column(c.bool(table, "reachable"));
            lastSeenAt = column(c.timestamp(table, "last_seen_at"));
            instructions = column(c.text(table, "instructions"));
        }

        @Override
        List<Field<?>> uniqueFields() {
            return List.of(name, slug);
        }

        /** What discovery found on an upstream belongs to the upstream's team, and moves with it at once. */
        @Override
        void writeChildren(DSLContext dsl, UUID id, UpstreamGateway gateway) {
            for (String kind : List.of("tool", "resource", "prompt")) {
                Table<Record> entries = Columns.table(kind);
                dsl.update(entries).set(columns.uuid(entries, "team_id"), gateway.teamId())
                        .where(columns.uuid(entries, "gateway_id").eq(id)).execute();
            }
        }

        @Override
        List<Field<?>> createOnlyFields() {
            // Health checks own these (UpstreamHealthRepository); updates leave them as the last check left them.
            // ... and discovery owns the upstream's instructions (CatalogSync).
            return List.of(reachable, lastSeenAt, instructions);
        }

        @Override
        String noun() {
            return "upstream gateway";
        }

        @Override
        Map<Field<?>, Object> values(UpstreamGateway g) {
            Map<Field<?>, Object> v = new HashMap<>();
            v.put(name, g.name());
            v.put(slug, g.slug());
            v.put(description, g.description());
            v.put(transport, Codes.of(g.transport()));
            v.put(url, g.url());
            v.put(command, g.command());
            v.put(commandSecret, g.commandSecret());
            v.put(authType, Codes.of(g.authType() == null ? AuthType.NONE : g.authType()));
            v.put(authSecret, g.authSecret());
            v.put(options, g.options());
            v.put(protocolVersion, g.protocolVersion());
            v.put(enabled, g.enabled());
            v.put(reachable, g.reachable());
            v.put(lastSeenAt, g.lastSeenAt());
            v.put(instructions, g.instructions());
            return v;
        }

        @Override
        UpstreamGateway read(Record r, Set<String> tags) {
            return new UpstreamGateway(r.get(id), r.get(name), r.get(slug), r.get(description),
                    Codes.parse(Transport.class, r.get(transport)), r.get(url), r.get(command), r.get(commandSecret),
                    Codes.parse(AuthType.class, r.get(authType)), r.get(authSecret), r.get(options),
                    r.get(protocolVersion), r.get(enabled), r.get(reachable), r.get(lastSeenAt), tags,
                    r.get(team), r.get(createdAt), r.get(updatedAt), r.get(version), r.get(instructions));
        }
    }
}
