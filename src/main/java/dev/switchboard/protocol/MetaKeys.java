package dev.switchboard.protocol;

/** The {@code _meta} keys MCP defines, in requests, results and notifications. */
public final class MetaKeys {

    /** The caller's token that progress notifications for the request name. */
    public static final String PROGRESS_TOKEN = "progressToken";
    /** 2026-07-28: the revision a request speaks. */
    public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    /** 2026-07-28: the client's capabilities for this request. */
    public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    /** 2026-07-28: who the client is (optional). */
    public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    /** 2026-07-28: the least severe log level the client wants (optional). */
    public static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    /** 2026-07-28: who answered, on every result. */
    public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    /** 2026-07-28: the subscriptions/listen request a notification belongs to. */
    public static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    private MetaKeys() {
    }
}
