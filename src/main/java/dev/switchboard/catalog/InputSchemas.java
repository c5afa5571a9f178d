package dev.switchboard.catalog;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Checks that a tool's input or output schema is itself a valid JSON Schema 2020-12 document with an object at
 * its root, as MCP requires. Only the bundled meta-schemas are consulted: nothing is fetched from the network.
 */
public final class InputSchemas {

    private static final String DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    /** A $ref to a URL must never make the gateway fetch it: schemas come from admins, URLs could be internal. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private static final Schema META_SCHEMA = SCHEMAS.getSchema(SchemaLocation.of(DIALECT_2020_12));

    private InputSchemas() {
    }

    /** Fails with the first problem, located by a path below {@code field} ("inputSchema.properties.q.type"). */
    public static void check(String field, JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw new InvalidEntryException(field, field + " must be a JSON Schema object");
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !DIALECT_2020_12.equals(dialect.asString(null))
                && !(DIALECT_2020_12 + "#").equals(dialect.asString(null))) {
            throw new InvalidEntryException(field + ".$schema", field + " must use JSON Schema 2020-12 ("
                    + DIALECT_2020_12 + "), not " + dialect);
        }
        List<Error> errors = META_SCHEMA.validate(schema);
        if (!errors.isEmpty()) {
            Error first = errors.getFirst();
            String at = location(first);
            throw new InvalidEntryException(at.isEmpty() ? field : field + "." + at,
                    field + " is not a valid JSON Schema 2020-12 document: " + describe(first));
        }
        JsonNode type = schema.get("type");
        if (type == null || !"object".equals(type.asString(null))) {
            throw new InvalidEntryException(field + ".type", field + " must describe an object: \"type\": \"object\"");
        }
    }

    /** Compiles a stored schema for validating instances, such as a tool call's arguments. */
    public static Schema compile(JsonNode schema) {
        return SCHEMAS.getSchema(schema);
    }

    /** What is wrong, in the validator's words. */
    public static String describe(Error error) {
        String message = error.getMessage();
        return message == null ? error.getKeyword() : message;
    }

    /** Where in the instance it is wrong: "$.properties.q.type" or "/properties/q/type" become "properties.q.type". */
    public static String location(Error error) {
        String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        String path = location.startsWith("$") ? location.substring(1) : location.replace('/', '.');
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
