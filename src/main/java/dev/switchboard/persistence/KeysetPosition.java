package dev.switchboard.persistence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a page of a list ordered by a time and then an id ended, the two keys of keyset paging, and the opaque
 * cursor that carries it to the next request.
 */
public record KeysetPosition(Instant at, UUID id) {

    /** The cursor text: URL-safe, and read back exactly by {@link #of}. */
    public String cursor() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; empty for text that {@link #cursor()} did not make. */
    public static Optional<KeysetPosition> of(String cursor) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = position.indexOf('|');
            return Optional.of(new KeysetPosition(Instant.parse(position.substring(0, bar)),
                    UUID.fromString(position.substring(bar + 1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
