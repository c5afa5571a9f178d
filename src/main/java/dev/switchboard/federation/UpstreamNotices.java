package dev.switchboard.federation;

import tools.jackson.databind.node.ObjectNode;

/**
 * Where a connection hands what its upstream says about itself rather than about a request: that a list changed,
 * or that a subscribed resource was updated. Called on the connection's reader, so it must return at once.
 */
interface UpstreamNotices {

    /** Hears nothing: a connection's notices before the pool has wired it. */
    UpstreamNotices NONE = new UpstreamNotices() {
        @Override
        public void listChanged(String method) {
        }

        @Override
        public void resourceUpdated(ObjectNode params) {
        }
    };

    /** notifications/tools, resources or prompts/list_changed, named by {@code method}. */
    void listChanged(String method);

    /** notifications/resources/updated with its params (which name the uri). */
    void resourceUpdated(ObjectNode params);

    /** The upstream forgot the session and a new one began: what was subscribed in the old one is gone. */
    default void sessionRenewed() {
    }
}
