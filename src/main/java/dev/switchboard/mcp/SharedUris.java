package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.UpstreamGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rule /mcp follows when more than one source serves a URI: the registry's own resource first, then the upstream
 * registered first (oldest createdAt, then lowest id). A client reads by URI alone, so the whole catalog presents one
 * resource per URI, and one template per URI template; a virtual server holds only one of each anyway.
 */
final class SharedUris {

    private record Key(boolean template, String uri) {
    }

    private SharedUris() {
    }

    /**
     * {@code resources} with one entry per URI (and per URI template), each the one the rule prefers, in the rule's
     * order: a URI that several templates match is read through the first of them.
     */
    static List<Resource> oneEach(List<Resource> resources, CatalogSnapshot snapshot) {
        Map<Key, List<Resource>> byUri = new LinkedHashMap<>();
        boolean shared = false;
        for (Resource r : resources) {
            List<Resource> same = byUri.computeIfAbsent(new Key(r.template(), r.uri()), k -> new ArrayList<>(1));
            same.add(r);
            shared |= same.size() > 1;
        }
        boolean federated = resources.stream().anyMatch(r -> r.gatewayId() != null);
        if (!shared && !federated) {
            return resources;
        }
        Map<UUID, Instant> registered = new HashMap<>();
        Comparator<Resource> rule = Comparator
                .comparing((Resource r) -> r.gatewayId() != null)
                .thenComparing(r -> r.gatewayId() == null ? Instant.MIN : registered.computeIfAbsent(r.gatewayId(),
                        id -> snapshot.gateway(id).map(UpstreamGateway::createdAt).orElse(Instant.MAX)))
                .thenComparing(r -> r.gatewayId() == null ? "" : r.gatewayId().toString());
        List<Resource> chosen = new ArrayList<>(byUri.size());
        for (List<Resource> same : byUri.values()) {
            chosen.add(same.size() == 1 ? same.getFirst() : same.stream().min(rule).orElseThrow());
        }
        chosen.sort(rule);
        return List.copyOf(chosen);
    }
}
