package dev.switchboard.mcp;

import dev.switchboard.audit.InvocationAudit;
import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.Implementation;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.LogLevels;
import dev.switchboard.protocol.Revision;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Answers requests method by method, for a session or for one request of the stateless revision. */
@Component
class McpMethods {


    private final ToolMethods tools;
    private final ResourceMethods resources;
    private final PromptMethods prompts;
    private final CompletionMethods completions;

    McpMethods(ToolMethods tools, ResourceMethods resources, PromptMethods prompts, CompletionMethods completions) {
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
        this.completions = completions;
    }

    /**
     * The result of {@code request}, or a {@link JsonRpcException} to answer instead. Invocations it makes are
     * audited as {@code principal}'s, through the view's virtual server.
     */
    JsonNode answer(CatalogView view, McpRequestContext context, String principal, JsonRpcMessage request,
                    CallFeedback feedback) {
        return InvocationAudit.onBehalfOf(principal, view.serverId(), () -> answer(view, context, request, feedback));
    }

    private JsonNode answer(CatalogView view, McpRequestContext context, JsonRpcMessage request,
                            CallFeedback feedback) {
        JsonNode params = request.paramsOrEmpty();
        String version = context.protocolVersion();
        if (!Revision.of(version).defines(request.method())) {
            throw methodNotFound(request.method());
        }
        return switch (request.method()) {
            case "ping" -> JsonRpc.object();
            case "tools/list" -> tools.list(view, version, params);
            case "tools/call" -> tools.call(view, params, feedback);
            case "resources/list" -> resources.list(view, version, params, false);
            case "resources/templates/list" -> resources.list(view, version, params, true);
            case "resources/read" -> resources.read(view, version, params, feedback);
            // Only session revisions define these (the gate above), so the context is a session.
            case "resources/subscribe" -> resources.subscribe(view, (McpSession) context, params, true);
            case "resources/unsubscribe" -> resources.subscribe(view, (McpSession) context, params, false);
            case "prompts/list" -> prompts.list(view, version, params);
            case "prompts/get" -> prompts.get(view, params, feedback);
            case "logging/setLevel" -> setLevel((McpSession) context, params);
            case "completion/complete" -> completions.complete(view, params, feedback);
            case "server/discover" -> discoverResult(view, version);
            // Its answer is a stream, not a result: StatelessHandler serves it before anything reaches here.
            case "subscriptions/listen" -> throw new IllegalStateException("subscriptions/listen is streamed");
            case "initialize" -> throw new JsonRpcException(JsonRpc.INVALID_REQUEST,
                    "Invalid request: this session is already initialized");
            default -> throw methodNotFound(request.method());
        };
    }

    /** The revision an initialize request settles on: the client's if this gateway speaks it, else the latest. */
    static String negotiate(JsonRpcMessage initialize) {
        JsonNode requested = initialize.paramsOrEmpty().get("protocolVersion");
        if (requested == null || !requested.isString()) {
            throw JsonRpcException.invalidParams("Invalid params: \"protocolVersion\" is required");
        }
        return Revision.negotiate(requested.asString());
    }

    /** The initialize result for a session that negotiated {@code version}. */
    static JsonNode initializeResult(CatalogView view, String version) {
        ObjectNode result = JsonRpc.object();
        result.put("protocolVersion", version);
        result.set("capabilities", capabilities(version));
        result.set("serverInfo", serverInfo(version));
        if (view.instructions() != null) {
            result.put("instructions", view.instructions());
        }
        return result;
    }

    /** The server/discover result of the stateless revision: every revision we speak, and who we are. */
    static JsonNode discoverResult(CatalogView view, String version) {
        ObjectNode result = JsonRpc.object();
        Revision.newestFirst().forEach(result.putArray("supportedVersions")::add);
        result.set("capabilities", capabilities(version));
        result.set("serverInfo", serverInfo(version));
        if (view.instructions() != null) {
            result.put("instructions", view.instructions());
        }
        return result;
    }

    private static ObjectNode capabilities(String version) {
        ObjectNode capabilities = JsonRpc.object();
        // Changes are announced by ListChanges: on a session's stream, or (2026-07-28) on subscriptions/listen.
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("resources").put("subscribe", true).put("listChanged", true);
        capabilities.putObject("prompts").put("listChanged", true);
        // Session revisions have logging/setLevel; 2026-07-28 declares logging only for servers that send log
        // messages, and this gateway sends none yet.
        if (!Revision.of(version).isStateless()) {
            capabilities.putObject("logging");
        }
        // The completions capability was introduced in 2025-03-26; older clients would not expect it.
        if (Revision.of(version).hasCompletions()) {
            capabilities.putObject("completions");
        }
        return capabilities;
    }

    /** Who answers: the Implementation object of initialize, server/discover and each stateless result's _meta. */
    static ObjectNode serverInfo(String version) {
        ObjectNode info = Implementation.switchboard();
        if (Revision.of(version).hasTitles()) {
            info.put("title", "Switchboard");
        }
        return info;
    }

    private static JsonRpcException methodNotFound(String method) {
        return new JsonRpcException(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
    }

    /** Only session revisions define logging/setLevel, which {@link Revision#defines} has checked. */
    private static JsonNode setLevel(McpSession session, JsonNode params) {
        String level = params.path("level").asString(null);
        if (level == null || !LogLevels.ORDER.contains(level)) {
            throw JsonRpcException.invalidParams("Invalid params: \"level\" must be one of " + LogLevels.ORDER);
        }
        // Log messages that upstreams send on this session's calls are relayed from this level up.
        session.logLevel(level);
        return JsonRpc.object();
    }
}
