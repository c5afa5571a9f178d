package dev.switchboard.invocation;

import dev.switchboard.settings.Bounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of REST tool calls (SWITCHBOARD_REST_*), checked at startup.
 *
 * @param maxResponseBytes The largest answer read from a REST tool's endpoint; a bigger one is not read further and
 *                         the call's result is an error naming this cap; 1 KiB to 1 GiB.
 */
@ConfigurationProperties("switchboard.rest")
public record RestToolSettings(@DefaultValue("1048576") long maxResponseBytes) {

    /** The setting's variable, named in the result of a call whose answer is too large. */
    static final String MAX_RESPONSE_VARIABLE = "SWITCHBOARD_REST_MAX_RESPONSE_BYTES";

    public RestToolSettings {
        Bounds.whole(MAX_RESPONSE_VARIABLE, maxResponseBytes, 1024, 1L << 30);
    }
}
