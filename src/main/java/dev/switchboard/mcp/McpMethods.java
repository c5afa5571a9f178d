package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Answers the requests of an initialized session, method by method. */
@Component
class McpMethods {

    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical",
            "alert", "emergency");

    private final ToolMethods tools;
    private final ResourceMethods resources;
    private final PromptMethods prompts;

    McpMethods(ToolMethods tools, ResourceMethods resources, PromptMethods prompts) {
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
    }

    /** The result of {@code request}, or a {@link JsonRpcException} to answer instead. */
    JsonNode answer(CatalogView view, McpSession session, JsonRpcMessage request, CallFeedback feedback) {
        JsonNode params = request.paramsOrEmpty();
        String version = session.protocolVersion();
        return switch (request.method()) {
            case "ping" -> JsonRpc.object();
            case "tools/list" -> tools.list(view, version, params);
            case "tools/call" -> tools.call(view, params, feedback);
            case "resources/list" -> resources.list(view, version, params, false);
            case "resources/templates/list" -> resources.list(view, version, params, true);
            case "resources/read" -> resources.read(view, params);
            case "resources/subscribe" -> resources.subscribe(view, session, params, true);
            case "resources/unsubscribe" -> resources.subscribe(view, session, params, false);
            case "prompts/list" -> prompts.list(view, version, params);
            case "prompts/get" -> prompts.get(view, params);
            case "logging/setLevel" -> setLevel(session, params);
            case "completion/complete" -> complete(params);
            case "initialize" -> throw new JsonRpcException(JsonRpc.INVALID_REQUEST,
                    "Invalid request: this session is already initialized");
            default -> throw new JsonRpcException(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + request.method());
        };
    }

    /** The revision an initialize request settles on: the client's if this gateway speaks it, else the latest. */
    static String negotiate(JsonRpcMessage initialize) {
        JsonNode requested = initialize.paramsOrEmpty().get("protocolVersion");
        if (requested == null || !requested.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"protocolVersion\" is required");
        }
        return ProtocolVersions.negotiate(requested.asString());
    }

    /** The initialize result for a session that negotiated {@code version}. */
    static JsonNode initializeResult(CatalogView view, String version) {
        ObjectNode result = JsonRpc.object();
        result.put("protocolVersion", version);
        ObjectNode capabilities = result.putObject("capabilities");
        // Changes are announced on the session's stream (GET, or the legacy transport's), found by ListChanges.
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("resources").put("subscribe", true).put("listChanged", true);
        capabilities.putObject("prompts").put("listChanged", true);
        capabilities.putObject("logging");
        // The completions capability was introduced in 2025-03-26; older clients would not expect it.
        if (ProtocolVersions.atLeast(version, "2025-03-26")) {
            capabilities.putObject("completions");
        }
        ObjectNode info = result.putObject("serverInfo").put("name", "switchboard").put("version", serverVersion());
        if (ProtocolVersions.atLeast(version, "2025-06-18")) {
            info.put("title", "Switchboard");
        }
        if (view.instructions() != null) {
            result.put("instructions", view.instructions());
        }
        return result;
    }

    private static String serverVersion() {
        String version = McpMethods.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private static JsonNode setLevel(McpSession session, JsonNode params) {
        String level = params.path("level").asString(null);
        if (level == null || !LOG_LEVELS.contains(level)) {
            throw JsonRpcException.invalidParams("Invalid params: \"level\" must be one of " + LOG_LEVELS);
        }
        // Remembered for when the gateway sends log notifications; it sends none yet.
        session.logLevel(level);
        return JsonRpc.object();
    }

    /** Nothing in the catalog declares completions yet, so every request gets an honest empty list. */
    private static JsonNode complete(JsonNode params) {
        if (!params.path("ref").isObject() || !params.path("argument").isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: \"ref\" and \"argument\" are required");
        }
        ObjectNode result = JsonRpc.object();
        result.putObject("completion").put("total", 0).put("hasMore", false).putArray("values");
        return result;
    }
}
