package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.protocol.VerbatimNumbers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How upstreams present their enabled tools, resources, templates and prompts beyond what the catalog's columns
 * hold: the {@code title}, {@code icons} and {@code _meta} of each entry's kept upstream definition, and a prompt's
 * {@code arguments} (their titles and which members were sent are not columns), which lists serve as the upstream
 * sent them. Only those members are kept in memory, not the whole definitions.
 */
final class UpstreamPresentation {

    /** The members of a definition that lists pass on as sent. */
    static final List<String> FIELDS = List.of("title", "icons", "_meta");
    /** A prompt's arguments as sent, kept as well: a prompt that sent none lists none. */
    static final String PROMPT_ARGUMENTS = "arguments";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).addModule(new VerbatimNumbers()).build();
    private static final List<String> TABLES = List.of("tool", "resource", "prompt");

    private final Transactions transactions;

    UpstreamPresentation(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Entry id to an object of those members that its definition has; entries without any are left out. */
    Map<UUID, ObjectNode> read() {
        Columns c = new Columns(transactions.dialect());
        return transactions.read(dsl -> {
            Map<UUID, ObjectNode> fields = new HashMap<>();
            for (String name : TABLES) {
                Table<Record> table = Columns.table(name);
                Field<UUID> id = c.uuid(table, "id");
                Field<String> definition = c.json(table, "upstream_definition");
                dsl.select(id, definition).from(table)
                        .where(c.bool(table, "enabled").eq(true).and(definition.isNotNull())).fetch()
                        .forEach(r -> {
                            ObjectNode picked = pick(JSON.readTree(r.value2()), name.equals("prompt"));
                            if (picked != null) {
                                fields.put(r.value1(), picked);
                            }
                        });
            }
            return Map.copyOf(fields);
        });
    }

    private static ObjectNode pick(JsonNode definition, boolean prompt) {
        if (definition == null || !definition.isObject()) {
            return null;
        }
        ObjectNode picked = null;
        if (prompt) {
            // Always an answer for a prompt, so that one whose upstream sent no arguments is told apart.
            picked = JSON.createObjectNode();
            JsonNode arguments = definition.get(PROMPT_ARGUMENTS);
            if (arguments != null && arguments.isArray()) {
                picked.set(PROMPT_ARGUMENTS, arguments);
            }
        }
        for (String field : FIELDS) {
            JsonNode value = definition.get(field);
            if (value != null && !value.isNull()) {
                picked = picked == null ? JSON.createObjectNode() : picked;
                picked.set(field, value);
            }
        }
        return picked;
    }
}
