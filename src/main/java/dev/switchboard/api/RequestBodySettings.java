package dev.switchboard.api;

import dev.switchboard.settings.Bounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The request body caps of the API (SWITCHBOARD_MAX_*_BYTES), checked at startup.
 *
 * @param maxRequestBytes The largest request body the API reads (413 above it).
 * @param maxImportBytes  The same for POST /v1/import.
 */
@ConfigurationProperties("switchboard")
public record RequestBodySettings(@DefaultValue("1048576") long maxRequestBytes,
                                  @DefaultValue("67108864") long maxImportBytes) {

    public RequestBodySettings {
        Bounds.whole("SWITCHBOARD_MAX_REQUEST_BYTES", maxRequestBytes, 1, Long.MAX_VALUE);
        Bounds.whole("SWITCHBOARD_MAX_IMPORT_BYTES", maxImportBytes, 1, Long.MAX_VALUE);
    }
}
