package dev.switchboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's version, from the META-INF/build-info.properties the build writes (in the jar and in target/classes). */
final class BuildVersion {

    static final String RESOURCE = "META-INF/build-info.properties";
    /** What a tree that Maven never built (an IDE's compile alone) reports. */
    static final String UNKNOWN = "development";

    private BuildVersion() {
    }

    static String current() {
        try (InputStream in = BuildVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties info = new Properties();
            info.load(in);
            String version = info.getProperty("build.version");
            return version == null || version.isBlank() ? UNKNOWN : version.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
