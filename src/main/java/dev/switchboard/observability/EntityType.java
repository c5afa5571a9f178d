package dev.switchboard.observability;

/**
 * The kinds of catalog entity whose invocations are measured, with the code stored in the metric tables. A call
 * through a virtual server is measured twice: as its tool's, resource's or prompt's, and as the server's.
 */
public enum EntityType {
    TOOL("tool"),
    RESOURCE("resource"),
    PROMPT("prompt"),
    SERVER("server");

    private final String code;

    EntityType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The type stored as {@code code}, or null when no type has that code. */
    public static EntityType ofCode(String code) {
        for (EntityType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        return null;
    }
}
