package dev.switchboard.users;

import dev.switchboard.problem.InvalidQueryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cursor of a page of users or teams: the last name shown, opaque to clients (base64url of its UTF-8 after a
 * marker, so that even the empty name, the start of the stored users, is a cursor that is not empty).
 */
final class NameCursor {

    /** Longer than any name's cursor can be (usernames and team names are bounded far below this). */
    private static final int MAX_LENGTH = 1024;
    private static final String MARKER = "@";

    private NameCursor() {
    }

    static String encode(String name) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((MARKER + name).getBytes(StandardCharsets.UTF_8));
    }

    /** The name a cursor holds; a 400 naming {@code cursor} when no page returned it. */
    static String decode(String cursor) {
        try {
            if (cursor.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(MARKER)) {
                throw new IllegalArgumentException("no marker");
            }
            return text.substring(MARKER.length());
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("cursor", "cursor is not one this endpoint returned");
        }
    }
}
