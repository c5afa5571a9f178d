package dev.switchboard.persistence;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server version as major.minor.patch, parsed from what the server reports about itself. */
public record EngineVersion(int major, int minor, int patch, String reported) implements Comparable<EngineVersion> {

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    public static EngineVersion of(int major, int minor) {
        return new EngineVersion(major, minor, 0, major + "." + minor);
    }

    /** Reads the first dotted number in text such as "10.11.19-MariaDB-0+deb12u1" or "15.20 (Debian ...)". */
    public static EngineVersion parse(String reported) {
        Matcher m = NUMBERS.matcher(reported == null ? "" : reported);
        if (!m.find()) {
            throw new IllegalArgumentException("cannot read a version number from '" + reported + "'");
        }
        return new EngineVersion(number(m.group(1)), number(m.group(2)), number(m.group(3)), reported.trim());
    }

    private static int number(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    @Override
    public int compareTo(EngineVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    public boolean isBefore(EngineVersion other) {
        return compareTo(other) < 0;
    }

    /** The short form: "10.11.19", or "15.20" where the server reports no patch level. */
    @Override
    public String toString() {
        return major + "." + minor + (patch > 0 ? "." + patch : "");
    }
}
