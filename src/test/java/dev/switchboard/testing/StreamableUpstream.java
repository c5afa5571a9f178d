package dev.switchboard.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The SDK upstream of {@link UpstreamServers#streamable(jakarta.servlet.Filter)}, running for the whole of one test
 * class: declare it as a static field with {@code @RegisterExtension}.
 */
public final class StreamableUpstream implements BeforeAllCallback, AfterAllCallback {

    private UpstreamServers.Http server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = UpstreamServers.streamable(null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    /** Where the upstream's MCP endpoint is. */
    public String url() {
        return server.url();
    }
}
