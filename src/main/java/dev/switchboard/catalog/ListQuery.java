package dev.switchboard.catalog;

/**
 * One page of a listing.
 *
 * @param cursor  the {@code nextCursor} of the previous page, or null for the first page
 * @param limit   how many entries at most (1 to {@link #MAX_LIMIT})
 * @param tag     only entries with this tag, or null
 * @param enabled only enabled (true) or disabled (false) entries, or null for both
 * @param q       only entries whose name contains this text, ignoring case, or null
 */
public record ListQuery(String cursor, int limit, String tag, Boolean enabled, String q) {

    public static final int MAX_LIMIT = 500;

    public ListQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }

    public static ListQuery first(int limit) {
        return new ListQuery(null, limit, null, null, null);
    }

    public ListQuery after(String nextCursor) {
        return new ListQuery(nextCursor, limit, tag, enabled, q);
    }

    public ListQuery withTag(String onlyTag) {
        return new ListQuery(cursor, limit, onlyTag, enabled, q);
    }

    public ListQuery withEnabled(Boolean onlyEnabled) {
        return new ListQuery(cursor, limit, tag, onlyEnabled, q);
    }

    public ListQuery withNameContaining(String text) {
        return new ListQuery(cursor, limit, tag, enabled, text);
    }
}
