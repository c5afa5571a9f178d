package dev.switchboard.users;

import java.util.Arrays;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A body of /v1/teams ({@code name}, {@code description}) or of a membership ({@code role}), checked field by field. */
record TeamRequest(String name, String description) {

    private static final Set<String> FIELDS = Set.of("name", "description");

    /** {@code name} is required when {@code creating}; a field left out is null. */
    static TeamRequest read(JsonNode body, boolean creating) {
        object(body, FIELDS);
        JsonNode name = body.get("name");
        if (name == null && creating) {
            throw RefusedChangeException.field("name", "name is required");
        }
        if (name != null && (!name.isString() || !TeamDirectory.NAME.matcher(name.asString()).matches())) {
            throw RefusedChangeException.field("name", "name must be 1 to 64 letters, digits, spaces and . _ -, "
                    + "starting with a letter or digit");
        }
        JsonNode description = body.get("description");
        if (description != null && (!description.isString() || description.asString().length() > 1024)) {
            throw RefusedChangeException.field("description", "description must be a string of at most 1024 "
                    + "characters");
        }
        return new TeamRequest(name == null ? null : name.asString(),
                description == null ? null : description.asString());
    }

    /** The role of a membership body: {@code {"role": "viewer" | "editor" | "owner"}}. */
    static TeamMember.Role role(JsonNode body) {
        object(body, Set.of("role"));
        JsonNode role = body.get("role");
        return TeamMember.Role.parse(role != null && role.isString() ? role.asString() : "")
                .orElseThrow(() -> RefusedChangeException.field("role", "role must be one of "
                        + Arrays.stream(TeamMember.Role.values()).map(TeamMember.Role::value).toList()));
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
}
