package dev.switchboard.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The Mcp-Name header of 2026-07-28: which methods carry it, which param it mirrors, and its encoding. A value that
 * is not plain printable ASCII (or that looks encoded) travels as {@code =?base64?…?=}.
 */
public final class McpName {

    /** The methods whose {@code params.name} (or {@code params.uri}) the client mirrors into Mcp-Name. */
    public static final Set<String> METHODS = Set.of(MethodNames.TOOLS_CALL, MethodNames.PROMPTS_GET,
            MethodNames.RESOURCES_READ);
    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";

    private McpName() {
    }

    /** The param that {@code method} is named by ("uri" for resources/read, else "name"), or null if it has none. */
    public static String param(String method) {
        if (!METHODS.contains(method)) {
            return null;
        }
        return method.equals(MethodNames.RESOURCES_READ) ? "uri" : "name";
    }

    /** A header value as it is when plain ASCII, otherwise (or when it looks encoded) in the base64 form. */
    public static String encode(String value) {
        boolean plain = !value.isEmpty() && value.strip().equals(value)
                && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)
                && !(value.startsWith(PREFIX) && value.endsWith(SUFFIX));
        return plain ? value
                : PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
    }

    /**
     * The value a header carries: decoded when it is in the base64 form, otherwise as it is.
     *
     * @throws IllegalArgumentException when it is in the base64 form but not valid base64
     */
    public static String decode(String header) {
        if (!header.startsWith(PREFIX) || !header.endsWith(SUFFIX)
                || header.length() < PREFIX.length() + SUFFIX.length()) {
            return header;
        }
        byte[] bytes = Base64.getDecoder().decode(header.substring(PREFIX.length(),
                header.length() - SUFFIX.length()));
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
