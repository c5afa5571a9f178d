package dev.switchboard.mcp;

import static dev.switchboard.protocol.MetaKeys.CLIENT_CAPABILITIES;
import static dev.switchboard.protocol.MetaKeys.CLIENT_INFO;
import static dev.switchboard.protocol.MetaKeys.LOG_LEVEL;
import static dev.switchboard.protocol.MetaKeys.PROTOCOL_VERSION;

import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.LogLevels;
import tools.jackson.databind.JsonNode;

/**
 * What a request of the stateless revision says about itself in {@code params._meta}: its revision, the client's
 * capabilities for this request, optionally who the client is and the least severe log level it wants. Nothing
 * carries over from one request to the next.
 */
record RequestMeta(String protocolVersion, JsonNode clientCapabilities, JsonNode clientInfo, String logLevel)
        implements McpRequestContext {

    /** The revision a message names in its {@code _meta}, or null when it names none (or is no request object). */
    static String protocolVersionOf(JsonNode message) {
        JsonNode version = message == null ? null : message.path("params").path("_meta").get(PROTOCOL_VERSION);
        return version != null && version.isString() ? version.asString() : null;
    }

    /**
     * Reads and checks {@code params._meta}. The spec makes a request without the required fields malformed:
     * invalid params, which the caller answers with HTTP 400; so is a log level that is not one of the eight.
     */
    static RequestMeta of(JsonNode params) {
        JsonNode meta = params.get("_meta");
        if (meta == null || !meta.isObject()) {
            throw invalid("\"_meta\" with \"" + PROTOCOL_VERSION + "\" and \"" + CLIENT_CAPABILITIES
                    + "\" is required on every request of this revision");
        }
        JsonNode version = meta.get(PROTOCOL_VERSION);
        if (version == null || !version.isString()) {
            throw invalid("\"_meta\" needs \"" + PROTOCOL_VERSION + "\" (a string)");
        }
        JsonNode capabilities = meta.get(CLIENT_CAPABILITIES);
        if (capabilities == null || !capabilities.isObject()) {
            throw invalid("\"_meta\" needs \"" + CLIENT_CAPABILITIES + "\" (an object; {} declares none)");
        }
        JsonNode info = meta.get(CLIENT_INFO);
        if (info != null && !(info.isObject() && info.path("name").isString() && info.path("version").isString())) {
            throw invalid("\"" + CLIENT_INFO + "\" must be an object with \"name\" and \"version\"");
        }
        JsonNode level = meta.get(LOG_LEVEL);
        if (level != null && !(level.isString() && LogLevels.ORDER.contains(level.asString()))) {
            throw invalid("\"" + LOG_LEVEL + "\" must be one of " + LogLevels.ORDER);
        }
        return new RequestMeta(version.asString(), capabilities, info, level == null ? null : level.asString());
    }

    private static JsonRpcException invalid(String message) {
        return JsonRpcException.invalidParams("Invalid params: " + message);
    }
}
