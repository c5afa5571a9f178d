package dev.switchboard.mcp;

import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.UriTemplates;
import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.invocation.ResourceDispatch;
import java.util.List;
import java.util.Optional;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.Revision;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** resources/list, resources/templates/list and resources/read: hosted by the registry or federated. */
@Component
class ResourceMethods {

    private final JsonMapper json;
    private final ResourceDispatch dispatch;
    private final ListChanges changes;

    ResourceMethods(JsonMapper json, ResourceDispatch dispatch, ListChanges changes) {
        this.json = json;
        this.dispatch = dispatch;
        this.changes = changes;
    }

    JsonNode list(CatalogView view, String version, JsonNode params, boolean templates) {
        ListPage<Resource> page = ListPage.of(view.resources().stream().filter(r -> r.template() == templates)
                .toList(), r -> ListPage.key(r.uri(), r.id()), params);
        ObjectNode result = JsonRpc.object();
        ArrayNode list = result.putArray(templates ? "resourceTemplates" : "resources");
        for (Resource resource : page.items()) {
            ObjectNode r = list.addObject();
            r.put(templates ? "uriTemplate" : "uri", resource.uri());
            r.put("name", resource.name());
            if (resource.title() != null && Revision.of(version).hasTitles()) {
                r.put("title", resource.title());
            }
            putIfPresent(r, "description", resource.description());
            putIfPresent(r, "mimeType", resource.mimeType());
            if (!templates && resource.sizeBytes() != null) {
                r.put("size", resource.sizeBytes());
            }
            if (resource.annotations() != null) {
                r.set("annotations", json.readTree(resource.annotations()));
            }
            PresentationFields.add(r, view.upstreamPresentation(resource.id()), version);
        }
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
        return result;
    }

    /**
     * resources/subscribe (or, with {@code on} false, unsubscribe): the session hears resources/updated when the
     * resource changes, through {@link ListChanges}. Only a resource this endpoint serves can be subscribed to. A
     * federated one is subscribed to upstream as well, once for all clients, so its upstream's updates reach them.
     */
    JsonNode subscribe(CatalogView view, McpSession session, JsonNode params, boolean on) {
        if (on) {
            served(view, session.protocolVersion(), params);
            String uri = params.get("uri").asString();
            if (!session.subscribe(uri)) {
                throw JsonRpcException.invalidParams("Invalid params: a session holds at most "
                        + McpSession.MAX_SUBSCRIPTIONS + " resource subscriptions; unsubscribe from one first");
            }
            changes.subscribeUpstream(session, uri);
        } else {
            JsonNode uri = params.get("uri");
            if (uri == null || !uri.isString()) {
                throw JsonRpcException.invalidParams("Invalid params: \"uri\" must be the resource's URI");
            }
            session.unsubscribe(uri.asString());
            changes.unsubscribeUpstream(session, uri.asString());
        }
        return JsonRpc.object();
    }

    /**
     * resources/read: hosted content from the registry, or the upstream's answer, unchanged, for a federated
     * resource or a URI that a federated template expands to ({@link ResourceDispatch} decides which).
     */
    JsonNode read(CatalogView view, String version, JsonNode params, CallFeedback feedback) {
        Resource resource = served(view, version, params);
        return UpstreamErrors.translated(() -> dispatch.read(resource, (ObjectNode) params, feedback));
    }

    /**
     * The resource that answers for params.uri: a fixed resource with that URI, else a federated template that
     * expands to it; otherwise the error for a URI that this endpoint does not serve. A hosted template has no
     * content of its own, so a URI that only such a template matches is not served. What the endpoint lists answers
     * first; an unavailable upstream's resource answers only when no available one does, so that the read fails
     * with the reason.
     */
    private static Resource served(CatalogView view, String version, JsonNode params) {
        JsonNode uri = params.get("uri");
        if (uri == null || !uri.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"uri\" must be the resource's URI");
        }
        return servedBy(view.resources(), uri.asString())
                .or(() -> servedBy(view.includingUnavailable().resources(), uri.asString()))
                .orElseThrow(() -> notFound(version, uri));
    }

    /** The resource that answers for {@code uri} on this endpoint, if any (see {@link #served}). */
    static Optional<Resource> source(CatalogView view, String uri) {
        return servedBy(view.resources(), uri).or(() -> servedBy(view.includingUnavailable().resources(), uri));
    }

    private static Optional<Resource> servedBy(List<Resource> resources, String uri) {
        return resources.stream().filter(r -> !r.template() && r.uri().equals(uri)).findFirst()
                .or(() -> resources.stream().filter(r -> r.template() && r.gatewayId() != null
                        && UriTemplates.matches(r.uri(), uri)).findFirst());
    }

    /** -32002 in the session revisions; 2026-07-28 forbids that code and uses invalid params instead. */
    private static JsonRpcException notFound(String version, JsonNode uri) {
        ObjectNode data = JsonRpc.object();
        data.set("uri", uri);
        int code = Revision.isStatelessRevision(version) ? JsonRpc.INVALID_PARAMS : JsonRpc.RESOURCE_NOT_FOUND;
        return new JsonRpcException(code, "Resource not found", data);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
