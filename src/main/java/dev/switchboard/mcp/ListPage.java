package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpcException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * One page of an MCP list. Entries are ordered by a unique key (presented name, then id), and the opaque cursor
 * is the key of the last entry sent, so a page boundary survives entries being added or removed in between.
 */
record ListPage<T>(List<T> items, String nextCursor) {

    static final int SIZE = 100;

    /** The page after {@code cursor} (null for the first) of {@code entries}, ordered by {@code key}. */
    static <T> ListPage<T> of(List<T> entries, Function<T, String> key, JsonNode params) {
        JsonNode cursorNode = params.get("cursor");
        String after = null;
        if (cursorNode != null && !cursorNode.isNull()) {
            if (!cursorNode.isString()) {
                throw JsonRpcException.invalidParams("Invalid params: \"cursor\" must be a string");
            }
            after = decode(cursorNode.asString());
        }
        String start = after;
        // Each key is built once, not once per comparison of the sort.
        List<Keyed<T>> rest = entries.stream().map(e -> new Keyed<>(key.apply(e), e))
                .filter(k -> start == null || k.key().compareTo(start) > 0)
                .sorted(Comparator.comparing(Keyed::key)).toList();
        List<T> items = rest.stream().limit(SIZE).map(Keyed::entry).toList();
        return new ListPage<>(items, rest.size() <= SIZE ? null : encode(rest.get(SIZE - 1).key()));
    }

    private record Keyed<T>(String key, T entry) {
    }

    /** The sort key: the name first, so clients see entries alphabetically; the id keeps equal names apart. */
    static String key(String name, Object id) {
        return name + "\u0000" + id;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (key.indexOf('\u0000') < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("Invalid params: the cursor was not issued by this list");
        }
    }
}
