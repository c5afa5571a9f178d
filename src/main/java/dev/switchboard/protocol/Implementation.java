package dev.switchboard.protocol;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Switchboard's MCP Implementation object (name and version), as it introduces itself to clients and upstreams. */
public final class Implementation {

    private Implementation() {
    }

    /** A new {@code {"name": "switchboard", "version": …}}; the version is the jar's, or "development". */
    public static ObjectNode switchboard() {
        String version = Implementation.class.getPackage().getImplementationVersion();
        return JsonNodeFactory.instance.objectNode().put("name", "switchboard")
                .put("version", version == null ? "development" : version);
    }
}
