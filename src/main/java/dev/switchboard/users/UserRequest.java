package dev.switchboard.users;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A request body of /v1/users, checked field by field. Usernames are kept in lower case, so that one person cannot
 * become two by a capital letter on one engine and not on another; {@code #} is left to the provider's users.
 */
record UserRequest(String username, Optional<String> password, Optional<String> displayName, Optional<String> email,
                   Optional<Boolean> enabled, Optional<Boolean> platformAdmin) {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@+-]{0,127}");
    static final int MIN_PASSWORD = 12;
    /** bcrypt reads at most 72 bytes: a longer password would be checked by its first 72 only. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MAX_TEXT = 256;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "displayName", "email",
            "enabled", "platformAdmin");
    private static final Set<String> UPDATE_FIELDS = Set.of("password", "displayName", "email", "enabled",
            "platformAdmin");

    /** A new local user: username and password required. */
    static UserRequest create(JsonNode body) {
        object(body, CREATE_FIELDS);
        JsonNode name = body.get("username");
        if (name == null || !name.isString()) {
            throw RefusedChangeException.field("username", "username is required, as a string");
        }
        String username = name.asString().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(username).matches()) {
            throw RefusedChangeException.field("username", "username must be 1 to 128 letters, digits and . _ @ + -,"
                    + " starting with a letter or digit");
        }
        UserRequest request = read(username, body);
        if (request.password().isEmpty()) {
            throw RefusedChangeException.field("password", "password is required for a local user");
        }
        return request;
    }

    /** A change: any field but username may be given. */
    static UserRequest update(JsonNode body) {
        object(body, UPDATE_FIELDS);
        return read(null, body);
    }

    private static UserRequest read(String username, JsonNode body) {
        Optional<String> password = text(body, "password", Integer.MAX_VALUE);
        password.ifPresent(p -> {
            if (p.length() < MIN_PASSWORD) {
                throw RefusedChangeException.field("password", "password must have at least " + MIN_PASSWORD
                        + " characters");
            }
            if (p.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
                throw RefusedChangeException.field("password", "password must be at most " + MAX_PASSWORD_BYTES
                        + " bytes in UTF-8");
            }
        });
        Optional<String> email = text(body, "email", MAX_TEXT);
        email.ifPresent(e -> {
            if (!EMAIL.matcher(e).matches()) {
                throw RefusedChangeException.field("email", "email is not an e-mail address");
            }
        });
        return new UserRequest(username, password, text(body, "displayName", MAX_TEXT), email, flag(body, "enabled"),
                flag(body, "platformAdmin"));
    }

    private static void object(JsonNode body, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw RefusedChangeException.field("body", "the body must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!fields.contains(field)) {
                throw RefusedChangeException.field(field, "unknown field " + field + "; known: "
                        + String.join(", ", fields.stream().sorted().toList()));
            }
        }
    }

    private static Optional<String> text(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw RefusedChangeException.field(field, field + " must be a non-empty string");
        }
        if (value.asString().length() > max) {
            throw RefusedChangeException.field(field, field + " must be at most " + max + " characters");
        }
        return Optional.of(value.asString());
    }

    private static Optional<Boolean> flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw RefusedChangeException.field(field, field + " must be true or false");
        }
        return Optional.of(value.asBoolean());
    }
}
