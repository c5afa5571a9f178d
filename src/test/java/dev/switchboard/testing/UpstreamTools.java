package dev.switchboard.testing;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * What every test upstream serves, over every transport: tools {@code text}, {@code image}, {@code embedded},
 * {@code structured}, {@code progress}, {@code log}, {@code sample}, {@code elicit} and {@code slow}; the resource
 * {@code fixture://readme}; the prompt {@code greet}. The expected answers are documented on each tool.
 */
public final class UpstreamTools {

    /** A 1x1 transparent PNG, base64: what the {@code image} tool returns. */
    public static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    public static final McpSchema.ServerCapabilities CAPABILITIES = McpSchema.ServerCapabilities.builder()
            .tools(true).resources(false, true).prompts(true).logging().build();
    /** How many {@code slow} calls started and how many ran to their end (not stopped early) in this JVM. */
    public static final AtomicInteger SLOW_STARTED = new AtomicInteger();
    public static final AtomicInteger SLOW_FINISHED = new AtomicInteger();

    private UpstreamTools() {
    }

    /** Adds the tools, resource and prompt to {@code server}. */
    public static void install(McpSyncServer server) {
        tool(server, "text", "Answers with one text item: 'hello <name>'", (x, r) -> CallToolResult.builder()
                .addTextContent("hello " + r.arguments().getOrDefault("name", "world")).build());
        tool(server, "image", "Answers with the PNG above", (x, r) -> CallToolResult.builder()
                .addContent(new McpSchema.ImageContent(null, PNG, "image/png")).build());
        tool(server, "embedded", "Answers with an embedded text resource", (x, r) -> CallToolResult.builder()
                .addContent(new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents(
                        "fixture://embedded", "text/plain", "embedded text"))).build());
        server.addTool(SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name("structured")
                        .description("Answers with structuredContent {temperature: 21.5, unit: C}")
                        .inputSchema(Map.of("type", "object"))
                        .outputSchema(Map.of("type", "object", "properties", Map.of("temperature", Map.of("type",
                                "number"), "unit", Map.of("type", "string")))).build())
                .callHandler((x, r) -> CallToolResult.builder()
                        .structuredContent(Map.of("temperature", 21.5, "unit", "C"))
                        .addTextContent("{\"temperature\":21.5,\"unit\":\"C\"}").build()).build());
        tool(server, "progress", "Sends progress 1/2 and 2/2 with the request's token, then answers 'done'",
                (x, r) -> {
                    Object token = r.meta() == null ? null : r.meta().get("progressToken");
                    if (token != null) {
                        x.progressNotification(new McpSchema.ProgressNotification(token, 1.0, 2.0, "half"));
                        x.progressNotification(new McpSchema.ProgressNotification(token, 2.0, 2.0, "all"));
                    }
                    return CallToolResult.builder().addTextContent("done").build();
                });
        tool(server, "log", "Logs 'upstream says hi' at warning level, then answers 'logged'", (x, r) -> {
            x.loggingNotification(new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.WARNING,
                    "fixture", "upstream says hi"));
            return CallToolResult.builder().addTextContent("logged").build();
        });
        tool(server, "sample", "Asks the client to sample 'What is 2+2?'; answers 'sampled: <the client's text>'",
                (x, r) -> {
                    McpSchema.CreateMessageResult answer = x.createMessage(McpSchema.CreateMessageRequest.builder()
                            .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
                                    new TextContent("What is 2+2?")))).maxTokens(10).build());
                    return CallToolResult.builder()
                            .addTextContent("sampled: " + ((TextContent) answer.content()).text()).build();
                });
        tool(server, "elicit", "Asks the client for {name}; answers 'elicited: <action> <name>'", (x, r) -> {
            McpSchema.ElicitResult answer = x.createElicitation(McpSchema.ElicitFormRequest.builder("Your name?",
                    Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")))).build());
            Object name = answer.content() == null ? null : answer.content().get("name");
            return CallToolResult.builder().addTextContent("elicited: " + answer.action().name().toLowerCase()
                    + " " + name).build();
        });
        tool(server, "slow", "Sleeps {seconds} (default 30) in steps of 50 ms, then answers 'slept'; with a "
                + "progress token, sends progress 0 as it starts", (x, r) -> {
            SLOW_STARTED.incrementAndGet();
            long seconds = ((Number) r.arguments().getOrDefault("seconds", 30)).longValue();
            Object token = r.meta() == null ? null : r.meta().get("progressToken");
            if (token != null) {
                x.progressNotification(new McpSchema.ProgressNotification(token, 0.0, (double) seconds, "started"));
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            try {
                while (System.nanoTime() < end) {
                    Thread.sleep(50); // the slowness under test, in steps so that an interrupt ends it soon
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CallToolResult.builder().addTextContent("interrupted").isError(true).build();
            }
            SLOW_FINISHED.incrementAndGet();
            return CallToolResult.builder().addTextContent("slept").build();
        });
        server.addResource(new SyncResourceSpecification(McpSchema.Resource.builder().uri("fixture://readme")
                .name("readme").mimeType("text/markdown").build(),
                (x, r) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(),
                        "text/markdown", "# Fixture")))));
        server.addPrompt(new SyncPromptSpecification(new McpSchema.Prompt("greet", "Greets {name}",
                List.of(new McpSchema.PromptArgument("name", "who", true))),
                (x, r) -> new McpSchema.GetPromptResult("greeting", List.of(new McpSchema.PromptMessage(
                        McpSchema.Role.USER, new TextContent("Hello " + r.arguments().get("name")))))));
    }

    private static void tool(McpSyncServer server, String name, String description,
                             BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
        server.addTool(SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name(name)
                .description(description).inputSchema(Map.of("type", "object")).build()).callHandler(handler).build());
    }
}
