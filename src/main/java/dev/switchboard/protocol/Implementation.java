package dev.switchboard.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Switchboard's MCP Implementation object (name and version), as it introduces itself to clients and upstreams, and
 * the one place that knows this build's version: the command line, the OpenAPI description and MCP all report it.
 */
public final class Implementation {

    /** Written by the build (spring-boot-maven-plugin's build-info goal) into the jar and target/classes. */
    static final String BUILD_INFO = "META-INF/build-info.properties";
    /** What a tree that Maven never built (an IDE's compile alone) reports. */
    public static final String UNKNOWN_VERSION = "development";

    private static final String VERSION = readVersion();

    private Implementation() {
    }

    /** A new {@code {"name": "switchboard", "version": …}}. */
    public static ObjectNode switchboard() {
        return JsonNodeFactory.instance.objectNode().put("name", "switchboard").put("version", VERSION);
    }

    /** This build's version, or {@value #UNKNOWN_VERSION}. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Implementation.class.getClassLoader().getResourceAsStream(BUILD_INFO)) {
            if (in == null) {
                return UNKNOWN_VERSION;
            }
            Properties info = new Properties();
            info.load(in);
            String version = info.getProperty("build.version");
            return version == null || version.isBlank() ? UNKNOWN_VERSION : version.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILD_INFO, e);
        }
    }
}
