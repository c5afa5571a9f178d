package dev.switchboard.catalog;

import dev.switchboard.catalog.Prompt.PromptArgument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what an upstream sent for one tool, resource, template or prompt into the catalog entry that stands for
 * it, or explains why it cannot be stored. The catalog's own limits apply: names that every client accepts,
 * column sizes that every engine keeps.
 */
final class UpstreamDefinitions {

    /** The longest URI the catalog stores, as for hosted resources. */
    static final int MAX_URI_LENGTH = 4096;
    private static final int MAX_NAME = 255;
    private static final int MAX_STRING = 2048;

    /** Why an offered entry cannot be stored; the message goes into the report. */
    static final class Unstorable extends RuntimeException {
        Unstorable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final JsonMapper json;

    UpstreamDefinitions(JsonMapper json) {
        this.json = json;
    }

    /** The upstream's own name of a tool or prompt, or its URI (template) of a resource: what identifies it. */
    static String key(String kind, JsonNode entry) {
        JsonNode key = entry.path(kind.equals("resource") ? "uri" : kind.equals("template") ? "uriTemplate" : "name");
        return key.isString() ? key.asString() : null;
    }

    Tool tool(UUID gatewayId, UUID team, String slug, JsonNode t) {
        String original = qualifiable(key("tool", t), slug);
        JsonNode input = t.get("inputSchema");
        if (input != null && !input.isObject()) {
            throw new Unstorable("its inputSchema is not a JSON object");
        }
        String schema = input == null ? "{\"type\":\"object\"}" : json.writeValueAsString(input);
        return new Tool(null, gatewayId, slug + "." + original, original, original, IntegrationType.MCP,
                optionalText(t, "description"), schema,
                object(t, "outputSchema"), object(t, "annotations"), null, AuthType.NONE, null, true, Set.of(), team,
                null,
                null, 0);
    }

    Resource resource(UUID gatewayId, UUID team, JsonNode r, boolean template) {
        String uri = key(template ? "template" : "resource", r);
        if (uri == null || uri.isEmpty()) {
            throw new Unstorable(template ? "it has no uriTemplate" : "it has no uri");
        }
        if (uri.length() > MAX_URI_LENGTH) {
            throw new Unstorable("its URI is longer than " + MAX_URI_LENGTH + " characters");
        }
        JsonNode name = r.get("name");
        if (name == null || !name.isString() || name.asString().isEmpty() || name.asString().length() > MAX_NAME) {
            throw new Unstorable("its name must be 1 to " + MAX_NAME + " characters");
        }
        JsonNode size = r.get("size");
        Long sizeBytes = size != null && size.canConvertToLong() && size.isIntegralNumber() ? size.asLong() : null;
        return new Resource(null, gatewayId, uri, template, name.asString(), string(r, "title"),
                optionalText(r, "description"), string(r, "mimeType"), template ? null : sizeBytes, null, null,
                object(r, "annotations"), true, Set.of(), team, null, null, 0);
    }

    Prompt prompt(UUID gatewayId, UUID team, String slug, JsonNode p) {
        String original = qualifiable(key("prompt", p), slug);
        List<PromptArgument> arguments = new ArrayList<>();
        JsonNode given = p.get("arguments");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw new Unstorable("its arguments are not a JSON array");
            }
            Set<String> names = new HashSet<>();
            for (JsonNode a : given) {
                JsonNode name = a.get("name");
                if (name == null || !name.isString() || name.asString().isEmpty()
                        || name.asString().length() > MAX_NAME) {
                    throw new Unstorable("an argument's name must be 1 to " + MAX_NAME + " characters");
                }
                if (!names.add(name.asString())) {
                    throw new Unstorable("it has two arguments named '" + EntryRules.shorten(name.asString()) + "'");
                }
                arguments.add(new PromptArgument(name.asString(), optionalText(a, "description"),
                        a.path("required").asBoolean(false)));
            }
        }
        return new Prompt(null, gatewayId, slug + "." + original, original, original, string(p, "title"),
                optionalText(p, "description"), null, arguments, true, Set.of(), team, null, null, 0);
    }

    /** An upstream name that can be stored qualified by the upstream's slug, within the catalog's name rule. */
    private static String qualifiable(String name, String slug) {
        if (name == null || name.isEmpty()) {
            throw new Unstorable("it has no name");
        }
        if (!EntryRules.NAME.matcher(name).matches()) {
            throw new Unstorable("its name is not 1 to 128 characters from A-Z, a-z, 0-9, '_', '.' and '-'");
        }
        if (slug.length() + 1 + name.length() > 128) {
            throw new Unstorable("'" + slug + "." + name + "' would be longer than 128 characters");
        }
        return name;
    }

    private static String optionalText(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static String string(JsonNode entry, String field) {
        String value = optionalText(entry, field);
        if (value != null && value.length() > MAX_STRING) {
            throw new Unstorable("its " + field + " is longer than " + MAX_STRING + " characters");
        }
        return value;
    }

    private String object(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new Unstorable("its " + field + " is not a JSON object");
        }
        return json.writeValueAsString(value);
    }
}
