package dev.switchboard.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * A Compose file as Compose reads it with the given variables (the environment or a .env file) set.
 * {@code ${NAME:-default}} takes the variable, or the default when it is unset or empty; {@code ${NAME:?message}}
 * takes the variable, or fails with the message as Compose does. Any other use of {@code $} fails, so a form this
 * class does not understand is never misread.
 */
record ComposeFile(Path path, Map<String, Object> document) {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):([-?])([^}]*)}");

    /** Compose refuses a file whose required variable is unset or empty; this is its message. */
    static final class MissingVariableException extends RuntimeException {
        MissingVariableException(String message) {
            super(message);
        }
    }

    static ComposeFile read(Path path, Map<String, String> variables) throws IOException {
        try (Reader reader = Files.newBufferedReader(path)) {
            Map<String, Object> document = new Yaml().load(reader);
            return new ComposeFile(path, asMap(interpolate(document, variables)));
        }
    }

    Map<String, Object> services() {
        return asMap(document.get("services"));
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = asMap(services().get(name));
        if (service == null) {
            throw new AssertionError(path.getFileName() + " has no service " + name);
        }
        return service;
    }

    Map<String, Object> namedVolumes() {
        Map<String, Object> volumes = asMap(document.get("volumes"));
        return volumes == null ? Map.of() : volumes;
    }

    /** A service's environment in its map form, values as strings. */
    Map<String, String> environment(String serviceName) {
        Map<String, String> env = new LinkedHashMap<>();
        Object declared = service(serviceName).get("environment");
        if (!(declared instanceof Map<?, ?> map)) {
            throw new AssertionError(serviceName + " in " + path.getFileName() + " must declare environment as a map");
        }
        map.forEach((k, v) -> env.put(k.toString(), v == null ? "" : v.toString()));
        return env;
    }

    private static Object interpolate(Object node, Map<String, String> variables) {
        if (node instanceof String text) {
            Matcher m = VARIABLE.matcher(text);
            String replaced = m.replaceAll(r -> {
                String value = variables.get(r.group(1));
                boolean set = value != null && !value.isEmpty();
                if (!set && r.group(2).equals("?")) {
                    throw new MissingVariableException("required variable " + r.group(1) + " is missing a value: "
                            + r.group(3));
                }
                return Matcher.quoteReplacement(set ? value : r.group(3));
            });
            if (VARIABLE.matcher(text).replaceAll("").contains("$")) {
                throw new IllegalArgumentException("only ${NAME:-default} and ${NAME:?message} are understood here: "
                        + text);
            }
            return replaced;
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, interpolate(v, variables)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> interpolate(v, variables)).toList();
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object node) {
        return (Map<String, Object>) node;
    }
}
