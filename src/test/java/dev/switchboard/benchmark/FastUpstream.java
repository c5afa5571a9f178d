package dev.switchboard.benchmark;

import dev.switchboard.testing.UpstreamServers;

/**
 * The benchmark's fast upstream: the official SDK's Streamable HTTP server with the test tools (its "text" tool
 * answers at once), in a process of its own so it never shares a JVM with the gateway or the load.
 * Argument: the port.
 */
public final class FastUpstream {

    private FastUpstream() {
    }

    public static void main(String[] args) throws InterruptedException {
        UpstreamServers.Http server = UpstreamServers.streamable(null, Integer.parseInt(args[0]));
        System.out.println("fast upstream ready at " + server.url());
        Thread.currentThread().join();
    }
}
