package dev.switchboard.catalog;

import java.util.Locale;
import java.util.Optional;

/** Who may use a virtual server over MCP, besides platform administrators. */
public enum Visibility {
    /** The members of the server's team. */
    PRIVATE,
    /** The members of its team and of the teams it is shared with. */
    SHARED,
    /** Any signed-in caller with the {@code mcp:use} scope. */
    PUBLIC;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Visibility> of(String value) {
        for (Visibility v : values()) {
            if (v.value().equals(value)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
