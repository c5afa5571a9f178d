package dev.switchboard.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * charts/switchboard rendered by Helm's own engine (helm-java bundles the helm library for each platform).
 *
 * <p>helm-java's template returns the release manifest without hooks, so the chart is rendered from a copy in
 * which the one annotation key {@code helm.sh/hook} is renamed to {@value #HOOK}: the migration Job and its
 * Secret then render like any resource, and their hook annotations can still be read under that key.
 */
final class HelmChart {

    static final String HOOK = "rendered-as-hook.switchboard.dev/hook";
    static final String KUBE_VERSION = "1.30.0";
    static final Path SOURCE = Path.of("charts", "switchboard").toAbsolutePath();

    private HelmChart() {
    }

    static LintResult lint() {
        return new Helm(SOURCE).lint().strict().call();
    }

    /** Renders the chart with these values (YAML) on top of its defaults; throws Helm's error if it refuses. */
    static Manifests render(String valuesYaml) {
        try {
            Path copy = copyWithHooksVisible();
            Path values = Files.writeString(Files.createTempFile("switchboard-values-", ".yaml"), valuesYaml);
            try {
                String rendered = new Helm(copy).template().withName("sb").withNamespace("registry")
                        .withKubeVersion(KUBE_VERSION).withValuesFile(values).call();
                List<Map<String, Object>> documents = new ArrayList<>();
                for (Object doc : new Yaml().loadAll(rendered)) {
                    if (doc != null) {
                        documents.add(ComposeFile.asMap(doc));
                    }
                }
                return new Manifests(documents);
            } finally {
                Files.deleteIfExists(values);
                deleteTree(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyWithHooksVisible() throws IOException {
        Path copy = Files.createTempDirectory("switchboard-chart-");
        try (Stream<Path> files = Files.walk(SOURCE)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(SOURCE.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, Files.readString(file).replace("helm.sh/hook:", HOOK + ":"));
                }
            }
        }
        return copy;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The rendered documents, with lookups by kind and name. */
    record Manifests(List<Map<String, Object>> documents) {

        List<Map<String, Object>> ofKind(String kind) {
            return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size());
            }
            return found.get(0);
        }

        List<String> kinds() {
            return documents.stream().map(d -> (String) d.get("kind")).sorted().toList();
        }

        /** A Secret's decoded entries, from stringData or data. */
        Map<String, String> secret(String name) {
            Map<String, Object> secret = ofKind("Secret").stream()
                    .filter(s -> name.equals(path(s, "metadata", "name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no Secret named " + name));
            Map<String, String> entries = new java.util.LinkedHashMap<>();
            Map<String, Object> data = ComposeFile.asMap(secret.get("data"));
            if (data != null) {
                data.forEach((k, v) -> entries.put(k, new String(Base64.getDecoder().decode(v.toString()))));
            }
            Map<String, Object> stringData = ComposeFile.asMap(secret.get("stringData"));
            if (stringData != null) {
                stringData.forEach((k, v) -> entries.put(k, v.toString()));
            }
            return entries;
        }
    }

    /** Walks maps by key and lists by index: path(doc, "spec", "template", "spec", "containers", 0). */
    @SuppressWarnings("unchecked")
    static <T> T path(Object node, Object... keys) {
        Object current = node;
        for (Object key : keys) {
            if (current == null) {
                return null;
            }
            current = key instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }
}
