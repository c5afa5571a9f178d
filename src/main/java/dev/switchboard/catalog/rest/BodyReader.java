package dev.switchboard.catalog.rest;

import dev.switchboard.catalog.InvalidEntryException;
import java.util.Iterator;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Turns request JSON into bodies: JSON Merge Patch (RFC 7396) onto an entry's current body, with the same rules. */
@Component
class BodyReader {

    private final JsonMapper json;

    BodyReader(JsonMapper json) {
        this.json = json;
    }

    /** Jackson reads an absent or null JSON member as a NullNode; the bodies treat both as not given. */
    static JsonNode given(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    <B> B required(B body) {
        if (body == null) {
            throw new InvalidEntryException("", "the request body must be a JSON object");
        }
        return body;
    }

    /** The {@code version} a merge patch carries, if any. */
    Long version(JsonNode patch) {
        requireObject(patch);
        JsonNode version = patch.get("version");
        if (version == null || version.isNull()) {
            return null;
        }
        if (!version.canConvertToLong() || !version.isIntegralNumber()) {
            throw new InvalidEntryException("version", "version must be an integer");
        }
        return version.longValue();
    }

    /** Applies {@code patch} to {@code current} and reads the result as a body, rejecting unknown fields. */
    <B> B merge(B current, JsonNode patch, Class<B> type) {
        requireObject(patch);
        JsonNode merged = apply(json.valueToTree(current), patch);
        ((ObjectNode) merged).remove("version");
        return json.treeToValue(merged, type);
    }

    private static void requireObject(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidEntryException("", "a merge patch must be a JSON object");
        }
    }

    /** RFC 7396: objects merge member by member, null removes a member, anything else replaces. */
    JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
