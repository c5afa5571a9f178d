package dev.switchboard.catalog.rest;

import dev.switchboard.api.PreconditionRequiredException;
import dev.switchboard.catalog.InvalidEntryException;

/** Entry versions as HTTP shows them: a strong ETag {@code "7"}, sent back in {@code If-Match}. */
final class Versions {

    private Versions() {
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an update expects: If-Match wins over the body's version, {@code *} means whatever is current.
     * An update that names neither is refused, so no client overwrites a change it never saw.
     */
    static long expected(String ifMatch, Long bodyVersion, long current) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String tag = ifMatch.strip();
            if (tag.equals("*")) {
                return current;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            try {
                return Long.parseLong(tag);
            } catch (NumberFormatException e) {
                throw new InvalidEntryException("If-Match", "If-Match must be an ETag this API issued, such as \"3\", "
                        + "not " + ifMatch);
            }
        }
        if (bodyVersion != null) {
            return bodyVersion;
        }
        throw new PreconditionRequiredException("send the version you are changing, in If-Match (the ETag of a GET)"
                + " or as \"version\" in the body");
    }
}
