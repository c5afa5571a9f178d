package dev.switchboard.federation;

import dev.switchboard.federation.UpstreamException.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The process of a stdio upstream, as stored: {@code {"command": "...", "args": [...], "env": {...}}}. */
record StdioCommand(String command, List<String> args, Map<String, String> env) {

    /**
     * Reads the stored document.
     *
     * @throws UpstreamException of kind UNREACHABLE when it names no command
     */
    static StdioCommand parse(String name, String document) {
        JsonNode root;
        try {
            root = document == null ? null : RpcConnection.JSON.readTree(document);
        } catch (JacksonException e) {
            root = null;
        }
        String command = root == null ? null : root.path("command").asString(null);
        if (command == null || command.isBlank()) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " has no command to start");
        }
        List<String> args = new ArrayList<>();
        root.path("args").forEach(a -> args.add(a.asString()));
        Map<String, String> env = new LinkedHashMap<>();
        root.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
        return new StdioCommand(command, List.copyOf(args), env);
    }

    List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(args);
        return line;
    }
}
