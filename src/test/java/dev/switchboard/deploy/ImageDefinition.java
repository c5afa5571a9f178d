package dev.switchboard.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Dockerfile's final stage gives a container: its environment, health check, user, volumes and
 * entry point. Only the instruction forms the project's Dockerfile uses are understood; anything else fails.
 */
record ImageDefinition(List<String> stages, Map<String, String> environment, String healthCheckCommand,
                       Map<String, String> healthCheckOptions, String user, List<String> volumes, List<String> exposed,
                       String entrypoint) {

    static ImageDefinition read(Path dockerfile) throws IOException {
        List<String> instructions = joinContinuations(Files.readAllLines(dockerfile));
        List<String> stages = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> checkOptions = new LinkedHashMap<>();
        String check = null;
        String user = null;
        String entrypoint = null;
        List<String> volumes = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        // ARGs before the first FROM: their defaults stand in for ${NAME} in FROM lines, as a plain build sees them.
        Map<String, String> buildArgs = new LinkedHashMap<>();
        for (String line : instructions) {
            String keyword = line.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            String rest = line.substring(keyword.length()).trim();
            if (keyword.equals("ARG") && stages.isEmpty()) {
                String[] nameAndDefault = rest.split("=", 2);
                buildArgs.put(nameAndDefault[0], nameAndDefault.length > 1 ? nameAndDefault[1] : "");
                continue;
            }
            if (keyword.equals("FROM")) {
                // A new stage starts: only the last one's settings reach the image.
                String from = rest;
                for (Map.Entry<String, String> arg : buildArgs.entrySet()) {
                    from = from.replace("${" + arg.getKey() + "}", arg.getValue());
                }
                stages.add(from);
                env.clear();
                checkOptions.clear();
                check = null;
                user = null;
                entrypoint = null;
                volumes.clear();
                exposed.clear();
                continue;
            }
            switch (keyword) {
                case "ENV" -> {
                    int eq = rest.indexOf('=');
                    if (eq < 0 || rest.substring(eq + 1).contains(" ") || rest.contains("\"")) {
                        throw new IllegalArgumentException("write ENV as one unquoted NAME=value per line: " + line);
                    }
                    env.put(rest.substring(0, eq), rest.substring(eq + 1));
                }
                case "HEALTHCHECK" -> {
                    String[] words = rest.split("\\s+");
                    int i = 0;
                    for (; i < words.length && words[i].startsWith("--"); i++) {
                        String[] option = words[i].substring(2).split("=", 2);
                        checkOptions.put(option[0], option[1]);
                    }
                    if (i >= words.length || !words[i].equals("CMD")) {
                        throw new IllegalArgumentException("expected HEALTHCHECK [options] CMD command: " + line);
                    }
                    check = rest.substring(rest.indexOf("CMD") + 3).trim();
                }
                case "USER" -> user = rest;
                case "VOLUME" -> volumes.addAll(jsonStrings(rest));
                case "EXPOSE" -> exposed.addAll(List.of(rest.split("\\s+")));
                case "ENTRYPOINT" -> entrypoint = rest;
                default -> {
                    // RUN, COPY, WORKDIR and so on shape the file system, not the container's settings.
                }
            }
        }
        return new ImageDefinition(stages, env, check, checkOptions, user, volumes, exposed, entrypoint);
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                current.append(line);
                instructions.add(current.toString().trim());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static List<String> jsonStrings(String array) {
        String inner = array.trim();
        if (!inner.startsWith("[") || !inner.endsWith("]")) {
            throw new IllegalArgumentException("expected a JSON array: " + array);
        }
        List<String> values = new ArrayList<>();
        for (String part : inner.substring(1, inner.length() - 1).split(",")) {
            values.add(part.trim().replaceAll("^\"|\"$", ""));
        }
        return values;
    }
}
