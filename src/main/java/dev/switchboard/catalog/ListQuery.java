package dev.switchboard.catalog;

/**
 * One page of a listing.
 *
 * @param cursor  the {@code nextCursor} of the previous page, or null for the first page
 * @param limit   how many entries at most (1 to {@link #MAX_LIMIT})
 * @param tag     only entries with this tag, or null
 * @param enabled only enabled (true) or disabled (false) entries, or null for both
 */
public record ListQuery(String cursor, int limit, String tag, Boolean enabled) {

    public static final int MAX_LIMIT = 500;

    public ListQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }

    public static ListQuery first(int limit) {
        return new ListQuery(null, limit, null, null);
    }

    public ListQuery after(String nextCursor) {
        return new ListQuery(nextCursor, limit, tag, enabled);
    }

    public ListQuery withTag(String onlyTag) {
        return new ListQuery(cursor, limit, onlyTag, enabled);
    }

    public ListQuery withEnabled(Boolean onlyEnabled) {
        return new ListQuery(cursor, limit, tag, onlyEnabled);
    }
}
