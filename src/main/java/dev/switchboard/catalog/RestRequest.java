package dev.switchboard.catalog;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a REST tool calls its endpoint. The URL, query values, header values and body template may hold
 * {@code {argument}} placeholders that are filled from the tool call's arguments.
 *
 * @param method       GET, POST, PUT, PATCH, DELETE or HEAD
 * @param url          an http or https URL template
 * @param query        query parameter name to value template
 * @param headers      header name to value template
 * @param body         what the request body is: "none", "arguments" (the call's arguments as a JSON object)
 *                     or "template" ({@code bodyTemplate} with its placeholders filled)
 * @param bodyTemplate the body when {@code body} is "template"
 * @param timeoutMs    how long the call may take, 1 ms to 5 minutes; 30 s when not given
 */
public record RestRequest(String method, String url, Map<String, String> query, Map<String, String> headers,
                          String body, String bodyTemplate, Integer timeoutMs) {

    public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    public static final Set<String> BODIES = Set.of("none", "arguments", "template");
    public static final int DEFAULT_TIMEOUT_MS = 30_000;
    public static final int MAX_TIMEOUT_MS = 300_000;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public RestRequest {
        query = query == null ? Map.of() : new LinkedHashMap<>(query);
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    /**
     * Checks the request and returns it with its defaults filled in. Every placeholder must name one of
     * {@code arguments}, the properties of the tool's input schema.
     */
    public RestRequest validated(String field, Set<String> arguments) {
        String verb = EntryRules.required(field + ".method", method).toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw new InvalidEntryException(field + ".method", field + ".method must be one of " + METHODS
                    + ", not '" + method + "'");
        }
        EntryRules.required(field + ".url", url);
        EntryRules.httpUrl(field + ".url", PLACEHOLDER.matcher(url).replaceAll("x"));
        placeholders(field + ".url", url, arguments);
        query.forEach((name, value) -> {
            if (name.isEmpty()) {
                throw new InvalidEntryException(field + ".query", "query parameter names may not be empty");
            }
            placeholders(field + ".query." + name, EntryRules.required(field + ".query." + name, value), arguments);
        });
        headers.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new InvalidEntryException(field + ".headers", "'" + name + "' is not a valid header name");
            }
            String v = EntryRules.required(field + ".headers." + name, value);
            if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new InvalidEntryException(field + ".headers." + name, "header values may not contain line breaks");
            }
            placeholders(field + ".headers." + name, v, arguments);
        });
        String bodyKind = body == null ? "none" : body;
        if (!BODIES.contains(bodyKind)) {
            throw new InvalidEntryException(field + ".body", field + ".body must be one of " + BODIES + ", not '"
                    + body + "'");
        }
        if (bodyKind.equals("template")) {
            placeholders(field + ".bodyTemplate", EntryRules.required(field + ".bodyTemplate", bodyTemplate), arguments);
        } else if (bodyTemplate != null) {
            throw new InvalidEntryException(field + ".bodyTemplate", "bodyTemplate needs \"body\": \"template\"");
        }
        int timeout = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        if (timeout < 1 || timeout > MAX_TIMEOUT_MS) {
            throw new InvalidEntryException(field + ".timeoutMs", field + ".timeoutMs must be from 1 to "
                    + MAX_TIMEOUT_MS + ", not " + timeout);
        }
        return new RestRequest(verb, url, query, headers, bodyKind, bodyTemplate, timeout);
    }

    /** The argument names a template refers to, in order of first use. */
    public static Set<String> placeholders(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static void placeholders(String field, String template, Set<String> arguments) {
        for (String name : placeholders(template)) {
            if (!arguments.contains(name)) {
                throw new InvalidEntryException(field, field + " refers to {" + name
                        + "}, which is not a property of the input schema");
            }
        }
    }
}
