package dev.switchboard.mcp;

import dev.switchboard.catalog.Resource;
import dev.switchboard.mcp.ChangeWatcher.ListKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one endpoint served at a moment, reduced to what decides whether a client must be told: per list, the
 * sorted (name, id, version) of its entries, and per fixed resource, its id and version.
 */
record ListSnapshot(Map<ListKind, String> lists, Map<String, String> resources) {

    static final ListSnapshot EMPTY = new ListSnapshot(Map.of(), Map.of());

    static ListSnapshot of(CatalogView view) {
        Map<ListKind, String> lists = new EnumMap<>(ListKind.class);
        lists.put(ListKind.TOOLS, fingerprint(view.tools().stream()
                .map(t -> view.toolName(t) + "\u0000" + t.id() + "\u0000" + t.version())));
        var resources = view.resources();
        lists.put(ListKind.RESOURCES, fingerprint(resources.stream()
                .map(r -> r.uri() + "\u0000" + r.id() + "\u0000" + r.version())));
        lists.put(ListKind.PROMPTS, fingerprint(view.prompts().stream()
                .map(p -> view.promptName(p) + "\u0000" + p.id() + "\u0000" + p.version())));
        Map<String, String> versions = resources.stream().filter(r -> !r.template())
                .collect(Collectors.toMap(Resource::uri, r -> r.id() + "@" + r.version(), (a, b) -> a));
        return new ListSnapshot(Map.copyOf(lists), Map.copyOf(versions));
    }

    /** A digest rather than the text itself, so a watched catalog of thousands of entries costs 32 bytes. */
    private static String fingerprint(Stream<String> entries) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            entries.sorted().forEach(e -> digest.update((e + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
