package dev.switchboard.catalog.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The five catalog collections as the API tests drive them: a valid body for a given name, and bodies that break
 * one rule each, with the field the error must name.
 */
final class Collections {

    private Collections() {
    }

    /** A body that breaks one rule, and the field the 422 must point at. */
    record Invalid(String label, UnaryOperator<Map<String, Object>> change, String field) {
    }

    /** One collection under /v1. */
    record Collection(String path, Function<String, Map<String, Object>> sample, String uniqueField,
                      List<Invalid> invalid) {

        Map<String, Object> body(String name) {
            return new LinkedHashMap<>(sample.apply(name));
        }

        @Override
        public String toString() {
            return path;
        }
    }

    static final Collection GATEWAYS = new Collection("/v1/gateways", name -> map(
            "name", name, "url", "https://upstream.example/mcp", "auth", Map.of("type", "bearer", "token", "tok-" + name),
            "tags", List.of("team-a")), "name", List.of(
            new Invalid("bad name", b -> with(b, "name", "has spaces"), "name"),
            new Invalid("ftp url", b -> with(b, "url", "ftp://upstream.example/"), "url"),
            new Invalid("unknown transport", b -> with(b, "transport", "pigeon"), "transport"),
            new Invalid("stdio without command", b -> with(with(b, "transport", "stdio"), "url", null), "command.command"),
            new Invalid("bearer without token", b -> with(b, "auth", Map.of("type", "bearer")), "auth.token"),
            new Invalid("unknown auth type", b -> with(b, "auth", Map.of("type", "kerberos")), "auth.type"),
            new Invalid("unknown field", b -> with(b, "colour", "red"), "colour"),
            new Invalid("tags not a list", b -> with(b, "tags", Map.of("a", 1)), "tags")));

    static final Collection TOOLS = new Collection("/v1/tools", name -> map(
            "name", name, "description", "Weather for a city",
            "inputSchema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
            "request", Map.of("method", "GET", "url", "https://api.example/weather/{city}"),
            "tags", List.of("team-a")), "name", List.of(
            new Invalid("name too long", b -> with(b, "name", "n".repeat(129)), "name"),
            new Invalid("schema type not a string", b -> with(b, "inputSchema", Map.of("type", 12)), "inputSchema.type"),
            new Invalid("schema of an array", b -> with(b, "inputSchema", Map.of("type", "array")), "inputSchema.type"),
            new Invalid("schema with a bad keyword value", b -> with(b, "inputSchema",
                    Map.of("type", "object", "properties", Map.of("city", Map.of("minLength", -1)))),
                    "inputSchema.properties.city.minLength"),
            new Invalid("url not http", b -> with(b, "request", Map.of("method", "GET", "url", "ftp://x/{city}")),
                    "request.url"),
            new Invalid("unknown method", b -> with(b, "request", Map.of("method", "FETCH", "url", "https://x/")),
                    "request.method"),
            new Invalid("unknown placeholder", b -> with(b, "request", Map.of("method", "GET",
                    "url", "https://x/{country}")), "request.url"),
            new Invalid("zero timeout", b -> with(b, "request", Map.of("method", "GET", "url", "https://x/",
                    "timeoutMs", 0)), "request.timeoutMs"),
            new Invalid("no request", b -> with(b, "request", null), "request"),
            new Invalid("unknown field in request", b -> with(b, "request", Map.of("method", "GET",
                    "url", "https://x/", "retries", 3)), "request.retries")));

    static final Collection RESOURCES = new Collection("/v1/resources", name -> map(
            "uri", "docs://handbook/" + name, "name", name, "mimeType", "text/plain", "text", "Hello, " + name,
            "tags", List.of("team-a")), "uri", List.of(
            new Invalid("relative uri", b -> with(b, "uri", "handbook/page"), "uri"),
            new Invalid("bad template", b -> with(with(with(b, "template", true), "text", null), "uri", "docs://{unclosed"),
                    "uri"),
            new Invalid("template with content", b -> with(with(b, "template", true), "uri", "docs://{page}"), "text"),
            new Invalid("text and blob", b -> with(b, "blob", "aGVsbG8="), "text"),
            new Invalid("blob not base64", b -> with(with(b, "text", null), "blob", "not base64!"), "blob"),
            new Invalid("bad name", b -> with(b, "name", "a/b"), "name")));

    static final Collection PROMPTS = new Collection("/v1/prompts", name -> map(
            "name", name, "description", "Summarize a topic", "template", "Summarize {{topic}} in {{words}} words.",
            "arguments", List.of(Map.of("name", "topic", "required", true), Map.of("name", "words", "required", false)),
            "tags", List.of("team-a")), "name", List.of(
            new Invalid("undeclared placeholder", b -> with(b, "template", "Tell me about {{subject}}"), "template"),
            new Invalid("unclosed placeholder", b -> with(b, "template", "Tell me about {{topic"), "template"),
            new Invalid("logic in a placeholder", b -> with(b, "template", "{{#topic}}x{{/topic}}"), "template"),
            new Invalid("argument twice", b -> with(b, "arguments", List.of(Map.of("name", "topic"),
                    Map.of("name", "topic"))), "arguments[1].name"),
            new Invalid("no template", b -> with(b, "template", null), "template")));

    static final Collection SERVERS = new Collection("/v1/servers", name -> map(
            "name", name, "description", "Tools for team A", "iconUrl", "https://cdn.example/icon.png",
            "tags", List.of("team-a")), "name", List.of(
            new Invalid("script icon", b -> with(b, "iconUrl", "javascript:alert(1)"), "iconUrl"),
            new Invalid("empty name", b -> with(b, "name", ""), "name"),
            new Invalid("enabled not a flag", b -> with(b, "enabled", "maybe"), "enabled")));

    static final List<Collection> ALL = List.of(GATEWAYS, TOOLS, RESOURCES, PROMPTS, SERVERS);

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(body);
        if (value == null) {
            changed.remove(field);
        } else {
            changed.put(field, value);
        }
        return changed;
    }
}
