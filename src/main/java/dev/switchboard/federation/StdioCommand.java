package dev.switchboard.federation;

import dev.switchboard.catalog.CommandDocument;
import dev.switchboard.federation.UpstreamException.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process of a stdio upstream: its command and arguments from the stored document, its environment in clear. */
record StdioCommand(String command, List<String> args, Map<String, String> env) {

    /**
     * The process that {@code document} describes, with {@code sealedValues} (opened) as its environment. Values a
     * document of an older version still holds in clear count too, until they are sealed at the next start.
     *
     * @throws UpstreamException of kind UNREACHABLE when it names no command
     */
    static StdioCommand parse(String name, String document, Map<String, String> sealedValues) {
        CommandDocument stored = CommandDocument.parse(document);
        if (stored.command() == null || stored.command().isBlank()) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " has no command to start");
        }
        Map<String, String> env = new LinkedHashMap<>(sealedValues);
        env.putAll(stored.clearValues());
        return new StdioCommand(stored.command(), stored.args(), env);
    }

    List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(args);
        return line;
    }
}
