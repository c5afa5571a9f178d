package dev.switchboard.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stdio upstream's stored command document: {@code {"command": "...", "args": [...], "env": ["API_KEY"]}}. It
 * names the environment variables but never holds their values, which are sealed apart
 * ({@link UpstreamGateway#commandSecret()}). A document written before values were sealed has {@code env} as an
 * object of names and clear values; {@link #clearValues()} holds those until {@link EnvironmentSealing} moves them.
 *
 * @param command     the program; null when the document names none
 * @param args        its arguments, in clear: secrets belong in the environment
 * @param envNames    the environment variables set for it, in order
 * @param clearValues values found in clear (a document of an older version); empty once sealed
 */
public record CommandDocument(String command, List<String> args, List<String> envNames,
                              Map<String, String> clearValues) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public CommandDocument {
        args = List.copyOf(args);
        envNames = List.copyOf(envNames);
        clearValues = Collections.unmodifiableMap(new LinkedHashMap<>(clearValues));
    }

    /** A document that names {@code envNames} and holds no value. */
    public static CommandDocument of(String command, List<String> args, List<String> envNames) {
        return new CommandDocument(command, args, envNames, Map.of());
    }

    /** Reads a stored document; one that is missing or not JSON reads as naming no command. */
    public static CommandDocument parse(String document) {
        JsonNode root;
        try {
            root = document == null ? null : JSON.readTree(document);
        } catch (JacksonException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new CommandDocument(null, List.of(), List.of(), Map.of());
        }
        String command = root.path("command").asString(null);
        List<String> args = new ArrayList<>();
        root.path("args").forEach(a -> args.add(a.asString()));
        List<String> names = new ArrayList<>();
        Map<String, String> clear = new LinkedHashMap<>();
        JsonNode env = root.path("env");
        if (env.isArray()) {
            env.forEach(n -> names.add(n.asString()));
        } else if (env.isObject()) {
            env.properties().forEach(e -> {
                names.add(e.getKey());
                clear.put(e.getKey(), e.getValue().asString());
            });
        }
        return new CommandDocument(command, args, names, clear);
    }

    /** Whether the document still holds environment values in clear. */
    public boolean holdsClearValues() {
        return !clearValues.isEmpty();
    }

    /** The document to store: names only, whatever values this one was read with. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command);
        ArrayNode a = root.putArray("args");
        args.forEach(a::add);
        if (!envNames.isEmpty()) {
            ArrayNode e = root.putArray("env");
            envNames.forEach(e::add);
        }
        return JSON.writeValueAsString(root);
    }
}
