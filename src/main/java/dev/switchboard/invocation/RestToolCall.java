package dev.switchboard.invocation;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.RestRequest;
import dev.switchboard.catalog.Tool;
import dev.switchboard.security.SecretDecryptionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a REST tool: fills its request template from the call's arguments, adds its credential, sends it with
 * its timeout, and turns the answer into an MCP {@code CallToolResult}. A failure of the endpoint (an error
 * status, a timeout, a refused connection) is a result with {@code isError: true}, as MCP wants tool failures
 * reported, never an exception.
 */
@Component
public class RestToolCall {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private final Credentials credentials;
    private final JsonMapper json;
    private final HttpClient http;
    private final int maxResponseBytes;

    public RestToolCall(Credentials credentials, JsonMapper json, RestToolSettings settings) {
        this.credentials = credentials;
        this.json = json;
        this.maxResponseBytes = (int) Math.min(settings.maxResponseBytes(), Integer.MAX_VALUE - 16);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Calls {@code tool} with {@code arguments} (a JSON object) and returns the CallToolResult.
     *
     * @throws IllegalArgumentException when {@code tool} is not a REST tool
     */
    public JsonNode call(Tool tool, JsonNode arguments) {
        if (tool.integrationType() != IntegrationType.REST || tool.requestTemplate() == null) {
            throw new IllegalArgumentException("the tool " + tool.name() + " is not a REST tool");
        }
        RestRequest template = json.readValue(tool.requestTemplate(), RestRequest.class);
        JsonNode args = arguments == null || arguments.isNull() ? json.createObjectNode() : arguments;
        HttpRequest request;
        try {
            request = request(template, args, credentials.open(tool.authType(), tool.authSecret()));
        } catch (IllegalArgumentException e) {
            return error("the arguments do not make a valid request: " + e.getMessage());
        } catch (SecretDecryptionException e) {
            return error("the tool's stored credential cannot be opened with the current key");
        }
        long timeoutMs = template.timeoutMs() == null ? RestRequest.DEFAULT_TIMEOUT_MS : template.timeoutMs();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            return result(response, read(response.body(), deadline));
        } catch (HttpTimeoutException e) {
            return error("the endpoint did not answer within " + timeoutMs + " ms");
        } catch (ResponseTooLarge e) {
            return error("the endpoint's answer is larger than the " + maxResponseBytes + " byte cap ("
                    + RestToolSettings.MAX_RESPONSE_VARIABLE + "); it was not read further");
        } catch (IOException e) {
            return error("the endpoint could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("the call was interrupted");
        }
    }

    private HttpRequest request(RestRequest t, JsonNode args, Credential credential) {
        StringBuilder url = new StringBuilder(fill(t.url(), args, RestToolCall::pathSegment));
        String separator = url.indexOf("?") >= 0 ? "&" : "?";
        for (Map.Entry<String, String> q : t.query().entrySet()) {
            url.append(separator).append(queryPart(q.getKey())).append('=')
                    .append(queryPart(fill(q.getValue(), args, UnaryOperator.identity())));
            separator = "&";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(Duration.ofMillis(t.timeoutMs() == null ? RestRequest.DEFAULT_TIMEOUT_MS : t.timeoutMs()));
        t.headers().forEach((name, value) -> request.header(name, headerValue(fill(value, args,
                UnaryOperator.identity()))));
        switch (credential.type() == null ? AuthType.NONE : credential.type()) {
            case BASIC -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credential.username() + ":" + credential.secret()).getBytes(StandardCharsets.UTF_8)));
            case BEARER -> request.header("Authorization", "Bearer " + credential.secret());
            case HEADER -> request.header(credential.headerName(), credential.secret());
            case NONE -> { }
        }
        String body = switch (t.body() == null ? "none" : t.body()) {
            case "arguments" -> json.writeValueAsString(args);
            case "template" -> fill(t.bodyTemplate(), args, UnaryOperator.identity());
            default -> null;
        };
        if (body != null && t.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        return request.method(t.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The template with each {name} replaced by the argument: strings as they are, anything else as JSON. */
    private String fill(String template, JsonNode args, UnaryOperator<String> encode) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = args.get(m.group(1));
            String text = value == null || value.isNull() ? "" : value.isString() ? value.asString()
                    : json.writeValueAsString(value);
            m.appendReplacement(out, Matcher.quoteReplacement(encode.apply(text)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** An argument in a path stays one segment: "a/b" cannot climb into another path. */
    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String queryPart(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String headerValue(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header value may not contain a line break");
        }
        return value;
    }

    /**
     * The body, read up to the cap and within the tool's timeout: the request timeout covers the answer until its
     * headers, so a body that trickles forever is closed when the timeout is up.
     *
     * @throws ResponseTooLarge     when there is more than the cap
     * @throws HttpTimeoutException when the timeout ends before the body does
     */
    private String read(InputStream body, long deadline) throws IOException {
        AtomicBoolean done = new AtomicBoolean();
        long left = Math.max(0, deadline - System.nanoTime());
        CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(() -> {
            if (!done.get()) {
                closeQuietly(body);
            }
        });
        try (body) {
            byte[] bytes = body.readNBytes(maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                throw new ResponseTooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (ResponseTooLarge e) {
            throw e;
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw new HttpTimeoutException("the body did not end in time");
            }
            throw e;
        } finally {
            done.set(true);
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // Closing is all the deadline asks; a body that will not close is already broken.
        }
    }

    /** An answer past the cap, turned into the call's error result. */
    private static final class ResponseTooLarge extends IOException {
    }

    private JsonNode result(HttpResponse<?> response, String body) {
        String text = body;
        boolean failed = response.statusCode() >= 400;
        ObjectNode result = json.createObjectNode();
        result.putArray("content").addObject().put("type", "text")
                .put("text", failed ? "HTTP " + response.statusCode() + ": " + text : text);
        if (!failed && isJson(response)) {
            try {
                JsonNode parsed = json.readTree(body);
                if (parsed.isObject()) {
                    result.set("structuredContent", parsed);
                }
            } catch (JacksonException e) {
                // Declared JSON but is not: the text content already carries it as it came.
            }
        }
        result.put("isError", failed);
        return result;
    }

    private static boolean isJson(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(false);
    }

    private JsonNode error(String message) {
        ObjectNode result = json.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", message);
        result.put("isError", true);
        return result;
    }
}
