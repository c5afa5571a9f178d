package dev.switchboard.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** The opaque position after an entry in (name, id) order, as clients pass it back. */
record Cursor(String name, UUID id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((id + name).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            return new Cursor(decoded.substring(36), UUID.fromString(decoded.substring(0, 36)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidCursorException("the cursor '" + text + "' was not issued by this listing");
        }
    }
}
