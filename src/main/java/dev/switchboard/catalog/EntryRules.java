package dev.switchboard.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules every catalog entry follows, whichever way it arrives: names, URLs, tags and text sizes. */
public final class EntryRules {

    /** MCP's rule for tool names, applied to every name in the catalog so that any of them can be presented. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    public static final int MAX_TAGS = 32;
    public static final int MAX_TAG_LENGTH = 64;
    public static final int MAX_URL_LENGTH = 2048;

    private EntryRules() {
    }

    /** A name: 1 to 128 characters from A-Z, a-z, 0-9, underscore, dot and hyphen. */
    public static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEntryException(field, field + " is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new InvalidEntryException(field, field + " must be 1 to 128 characters from A-Z, a-z, 0-9, '_', '.'"
                    + " and '-', not '" + shorten(value) + "'");
        }
        return value;
    }

    /** An absolute http or https URL with a host. */
    public static String httpUrl(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEntryException(field, field + " is required");
        }
        if (value.length() > MAX_URL_LENGTH) {
            throw new InvalidEntryException(field, field + " is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidEntryException(field, field + " is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidEntryException(field, field + " must be an http or https URL, not '" + shorten(value) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidEntryException(field, field + " must name a host: '" + shorten(value) + "'");
        }
        return value;
    }

    /** Tags: at most 32, each 1 to 64 characters without control characters. */
    public static Set<String> tags(String field, Set<String> tags) {
        if (tags == null) {
            return Set.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidEntryException(field, "at most " + MAX_TAGS + " tags are allowed, not " + tags.size());
        }
        for (String tag : tags) {
            if (tag == null || tag.isBlank() || tag.length() > MAX_TAG_LENGTH
                    || tag.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidEntryException(field, "each tag must be 1 to " + MAX_TAG_LENGTH
                        + " printable characters, not '" + (tag == null ? "null" : shorten(tag)) + "'");
            }
        }
        return tags;
    }

    /** Optional free text with an upper bound, so a single entry cannot hold megabytes of description. */
    public static String text(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidEntryException(field, field + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    /** Fails unless {@code value} is present. */
    public static <V> V required(String field, V value) {
        if (value == null) {
            throw new InvalidEntryException(field, field + " is required");
        }
        return value;
    }

    static String shorten(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
