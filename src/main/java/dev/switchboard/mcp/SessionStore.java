package dev.switchboard.mcp;

import dev.switchboard.settings.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the MCP sessions of Streamable HTTP clients live, as operators name it: SWITCHBOARD_MCP_SESSION_STORE.
 *
 * @param sessionStore {@code registry}: in the registry database, so that any replica continues any session and a
 *                     restart keeps them; {@code memory}: in the memory of the replica that opened them only, as
 *                     legacy SSE sessions are, for one replica or a load balancer with session affinity (a restart
 *                     ends them, and their clients initialize again).
 */
@ConfigurationProperties("switchboard.mcp")
public record SessionStore(@DefaultValue(REGISTRY) String sessionStore) {

    static final String REGISTRY = "registry";
    static final String MEMORY = "memory";

    public SessionStore {
        if (!REGISTRY.equals(sessionStore) && !MEMORY.equals(sessionStore)) {
            throw new InvalidSettingException("SWITCHBOARD_MCP_SESSION_STORE must be " + REGISTRY + " or " + MEMORY
                    + "; it is '" + sessionStore + "'");
        }
    }

    /** Whether sessions are stored in the registry, where every replica finds them. */
    boolean shared() {
        return REGISTRY.equals(sessionStore);
    }
}
