package dev.switchboard.benchmark;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run measured and the versions of everything in it, for the report's "Machine and versions" table.
 * A fact that cannot be found is "unknown": the figures matter more than a missing label, so nothing here throws.
 */
public final class MachineFacts {

    static final String UNKNOWN = "unknown";

    /** The npm packages the suite runs, as installed for the tests. */
    private static final List<String> NODE_PACKAGES = List.of("@modelcontextprotocol/server-everything",
            "supergateway");

    private MachineFacts() {
    }

    /**
     * Describes this machine and the versions measured, in the report's order.
     *
     * @param projectDirectory the repository's root (pom.xml, target/, src/test/node/)
     * @param engineVersions   each engine's name → the version it reported, e.g. "PostgreSQL" → "15.8"
     */
    public static Map<String, String> describe(Path projectDirectory, Map<String, String> engineVersions) {
        Map<String, String> facts = new LinkedHashMap<>();
        String cpuinfo = read(Path.of("/proc/cpuinfo")).orElse("");
        facts.put("CPU", field(cpuinfo, "model name").orElse(UNKNOWN));
        facts.put("Cores", cores(cpuinfo));
        facts.put("Memory", field(read(Path.of("/proc/meminfo")).orElse(""), "MemTotal")
                .map(MachineFacts::gibibytes).orElse(UNKNOWN));
        facts.put("OS", field(read(Path.of("/etc/os-release")).orElse(""), "PRETTY_NAME", '=')
                .map(name -> name.replace("\"", "")).orElse(UNKNOWN));
        facts.put("Kernel", System.getProperty("os.name", UNKNOWN) + " " + System.getProperty("os.version", "")
                + " (" + System.getProperty("os.arch", UNKNOWN) + ")");
        facts.put("JDK", System.getProperty("java.vm.vendor", UNKNOWN) + " "
                + System.getProperty("java.runtime.version", UNKNOWN));
        facts.put("Switchboard", switchboardVersion(projectDirectory));
        engineVersions.forEach(facts::put);
        facts.put("JMH", jmhVersion());
        facts.put("Node.js", nodeVersion());
        for (String name : NODE_PACKAGES) {
            facts.put(name, packageVersion(projectDirectory.resolve("src/test/node/node_modules").resolve(name)));
        }
        return facts;
    }

    /** "2" when the JVM sees every processor; "2 of 8" when a container or affinity mask hides some. */
    private static String cores(String cpuinfo) {
        int available = Runtime.getRuntime().availableProcessors();
        long listed = cpuinfo.lines().filter(line -> line.startsWith("processor")).count();
        return listed > available ? available + " of " + listed : Integer.toString(available);
    }

    private static String gibibytes(String memTotal) {
        try {
            long kibibytes = Long.parseLong(memTotal.replace("kB", "").strip());
            return String.format(Locale.ROOT, "%.1f GiB", kibibytes / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return memTotal;
        }
    }

    /** The build's own version when Spring Boot's build-info was generated, else the pom's. */
    private static String switchboardVersion(Path projectDirectory) {
        Path buildInfo = projectDirectory.resolve("target/classes/META-INF/build-info.properties");
        if (Files.isRegularFile(buildInfo)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(buildInfo)) {
                properties.load(in);
                String version = properties.getProperty("build.version");
                if (version != null) {
                    return version;
                }
            } catch (IOException e) {
                // Fall through to the pom.
            }
        }
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document pom = factory.newDocumentBuilder().parse(projectDirectory.resolve("pom.xml").toFile());
            // The project's own <version>, not the parent's: a direct child of <project>.
            for (Node child = pom.getDocumentElement().getFirstChild(); child != null;
                 child = child.getNextSibling()) {
                if ("version".equals(child.getNodeName())) {
                    return child.getTextContent().strip();
                }
            }
        } catch (Exception e) {
            // An unreadable pom leaves the version unknown.
        }
        return UNKNOWN;
    }

    private static String jmhVersion() {
        try {
            return org.openjdk.jmh.util.Version.getPlainVersion();
        } catch (RuntimeException | LinkageError e) {
            return UNKNOWN;
        }
    }

    private static String nodeVersion() {
        Process node = null;
        try {
            node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            // The version is one short line, so waiting before reading cannot fill the pipe.
            if (!node.waitFor(10, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return UNKNOWN;
            }
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return output.isEmpty() ? UNKNOWN : output.replaceFirst("^v", "");
        } catch (IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        } finally {
            if (node != null) {
                node.destroy();
            }
        }
    }

    private static String packageVersion(Path packageDirectory) {
        return read(packageDirectory.resolve("package.json")).flatMap(json -> {
            try {
                var version = tools.jackson.databind.json.JsonMapper.shared().readTree(json).get("version");
                return Optional.ofNullable(version).map(node -> node.asString());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }).orElse(UNKNOWN);
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> field(String text, String name) {
        return field(text, name, ':');
    }

    /** The value of the first "name: value" (or "name=value") line of {@code text}. */
    private static Optional<String> field(String text, String name, char separator) {
        return text.lines().filter(line -> line.startsWith(name))
                .map(line -> line.substring(line.indexOf(separator) + 1).strip())
                .filter(value -> !value.isEmpty()).findFirst();
    }
}
