package dev.switchboard.security;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A request to issue an API token, read field by field from the JSON body so that each mistake is reported
 * against the field that holds it, and unknown fields are refused rather than silently ignored.
 */
record TokenRequest(String name, Set<Scope> scopes, Instant expiresAt, Set<UUID> servers) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Set<String> FIELDS = Set.of("name", "scopes", "expiresInDays", "expiresAt", "servers");
    /** Virtual servers one token may name at most. */
    static final int MAX_SERVERS = 100;
    private static final int MAX_DAYS = (int) ApiTokenService.MAX_LIFETIME.toDays();

    static TokenRequest parse(JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw invalid(null, "The body must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw invalid(field, "Unknown field '" + field + "'; the fields are name, scopes, "
                        + "expiresInDays, expiresAt and servers");
            }
        }
        return new TokenRequest(name(body.get("name")), scopes(body.get("scopes")), expiry(body, now),
                servers(body.get("servers")));
    }

    /** The virtual servers the token is narrowed to: absent or null for none, else 1 to 100 ids. */
    private static Set<UUID> servers(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_SERVERS) {
            throw invalid("servers", "servers must be an array of 1 to " + MAX_SERVERS + " virtual server ids, "
                    + "or left out for a token that reaches every endpoint its scopes allow");
        }
        Set<UUID> servers = new TreeSet<>();
        for (JsonNode item : node) {
            try {
                servers.add(UUID.fromString(item.isString() ? item.stringValue() : ""));
            } catch (IllegalArgumentException e) {
                throw invalid("servers", "servers must hold virtual server ids (UUIDs), not " + item);
            }
        }
        return servers;
    }

    private static String name(JsonNode node) {
        if (node == null || !node.isString() || !NAME.matcher(node.stringValue()).matches()) {
            throw invalid("name", "name is required: 1 to 128 letters, digits, '_', '.' or '-'");
        }
        return node.stringValue();
    }

    private static Set<Scope> scopes(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("scopes", "scopes is required: a non-empty array such as [\"catalog:read\"]");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw invalid("scopes", "scopes must hold strings");
            }
            scopes.add(Scope.parse(item.stringValue()).orElseThrow(() -> new InvalidTokenRequestException("scopes",
                    "Unknown scope '" + item.stringValue() + "'; the scopes are " + known())));
        }
        return scopes;
    }

    private static Instant expiry(JsonNode body, Instant now) {
        JsonNode days = body.get("expiresInDays");
        JsonNode at = body.get("expiresAt");
        if ((days == null) == (at == null)) {
            throw invalid(days == null ? "expiresInDays" : "expiresAt",
                    "Give exactly one of expiresInDays (1 to " + MAX_DAYS + ") and expiresAt (an ISO-8601 instant)");
        }
        if (days != null) {
            if (!days.isIntegralNumber() || !days.canConvertToInt() || days.intValue() < 1
                    || days.intValue() > MAX_DAYS) {
                throw invalid("expiresInDays", "expiresInDays must be a whole number from 1 to "
                        + MAX_DAYS);
            }
            return now.plus(java.time.Duration.ofDays(days.intValue()));
        }
        Instant instant;
        try {
            instant = at.isString() ? Instant.parse(at.stringValue()) : null;
        } catch (DateTimeException e) {
            instant = null;
        }
        if (instant == null) {
            throw invalid("expiresAt", "expiresAt must be an ISO-8601 instant such as "
                    + "2027-01-31T00:00:00Z");
        }
        if (!instant.isAfter(now) || instant.isAfter(now.plus(ApiTokenService.MAX_LIFETIME))) {
            throw invalid("expiresAt", "expiresAt must be in the future and at most " + MAX_DAYS
                    + " days away");
        }
        return instant;
    }

    private static String known() {
        return String.join(", ", EnumSet.allOf(Scope.class).stream().map(Scope::value).toList());
    }

    private static InvalidTokenRequestException invalid(String field, String message) {
        return new InvalidTokenRequestException(field, message);
    }
}
