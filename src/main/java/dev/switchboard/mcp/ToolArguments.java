package dev.switchboard.mcp;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.switchboard.catalog.InputSchemas;
import dev.switchboard.catalog.Tool;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a call's arguments against the tool's input schema (JSON Schema 2020-12) before anything runs, so an
 * endpoint never sees arguments its tool did not declare.
 */
@Component
class ToolArguments {

    /** Compiled schemas by tool id; the version in the value tells when a tool changed and needs compiling again. */
    private final Map<UUID, Compiled> compiled = new ConcurrentHashMap<>();
    private final JsonMapper json;

    private record Compiled(long version, Schema schema) {
    }

    ToolArguments(JsonMapper json) {
        this.json = json;
    }

    /** What is wrong with {@code arguments}, one message per violation; empty when they are valid. */
    List<String> violations(Tool tool, JsonNode arguments) {
        if (tool.inputSchema() == null) {
            return List.of();
        }
        Compiled schema = compiled.compute(tool.id(), (id, known) -> known != null && known.version() == tool.version()
                ? known : new Compiled(tool.version(), InputSchemas.compile(json.readTree(tool.inputSchema()))));
        return schema.schema().validate(arguments).stream().map(ToolArguments::describe).toList();
    }

    /** "city: integer found, string expected": where in the arguments, then what is wrong there. */
    private static String describe(Error error) {
        String at = InputSchemas.location(error);
        return (at.isEmpty() ? "arguments" : at) + ": " + InputSchemas.describe(error);
    }
}
