package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Stores tools, both REST and federated MCP. */
@Repository
public class ToolRepository extends CatalogRepository<Tool> {

    public ToolRepository(Transactions transactions) {
        super(transactions, Mapping::new);
    }

    private static final class Mapping extends EntityMapping<Tool> {
        final Field<Instant> vanishedAt;
        final Field<UUID> gatewayId;
        final Field<String> originalName;
        final Field<String> displayName;
        final Field<String> integrationType;
        final Field<String> description;
        final Field<String> inputSchema;
        final Field<String> outputSchema;
        final Field<String> annotations;
        final Field<String> requestTemplate;
        final Field<String> authType;
        final Field<String> authSecret;

        final DisplayNames displayNames;

        Mapping(Columns c) {
            super(c, "tool", "tool_tag", "tool_id");
            vanishedAt = c.timestamp(table, "vanished_at");
            displayNames = DisplayNames.ofTools(c);
            gatewayId = column(c.uuid(table, "gateway_id"));
            originalName = column(c.text(table, "original_name"));
            displayName = column(c.text(table, "display_name"));
            integrationType = column(c.text(table, "integration_type"));
            description = column(c.text(table, "description"));
            inputSchema = column(c.json(table, "input_schema"));
            outputSchema = column(c.json(table, "output_schema"));
            annotations = column(c.json(table, "annotations"));
            requestTemplate = column(c.json(table, "request_template"));
            authType = column(c.text(table, "auth_type"));
            authSecret = column(c.text(table, "auth_secret"));
        }

        @Override
        Field<Instant> vanishedAt() {
            return vanishedAt;
        }

        @Override
        String noun() {
            return "tool";
        }

        @Override
        Map<Field<?>, Object> values(Tool t) {
            Map<Field<?>, Object> v = new HashMap<>();
            v.put(gatewayId, t.gatewayId());
            v.put(name, t.name());
            v.put(originalName, t.originalName());
            v.put(displayName, t.displayName() != null ? t.displayName() : t.name());
            v.put(integrationType, Codes.of(t.integrationType()));
            v.put(description, t.description());
            v.put(inputSchema, t.inputSchema());
            v.put(outputSchema, t.outputSchema());
            v.put(annotations, t.annotations());
            v.put(requestTemplate, t.requestTemplate());
            v.put(authType, Codes.of(t.authType() == null ? AuthType.NONE : t.authType()));
            v.put(authSecret, t.authSecret());
            v.put(enabled, t.enabled());
            return v;
        }

        @Override
        void checkAfterWrite(DSLContext dsl, UUID toolId) {
            displayNames.requireUnique(dsl, displayNames.serversOf(dsl, toolId), "displayName");
        }

        @Override
        Tool read(Record r, Set<String> tags) {
            return new Tool(r.get(id), r.get(gatewayId), r.get(name), r.get(originalName), r.get(displayName),
                    Codes.parse(IntegrationType.class, r.get(integrationType)), r.get(description),
                    r.get(inputSchema), r.get(outputSchema), r.get(annotations), r.get(requestTemplate),
                    Codes.parse(AuthType.class, r.get(authType)), r.get(authSecret), r.get(enabled), tags,
                    r.get(team), r.get(createdAt), r.get(updatedAt), r.get(version));
        }
    }
}
