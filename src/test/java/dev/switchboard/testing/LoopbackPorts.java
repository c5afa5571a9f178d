package dev.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** Ports on 127.0.0.1 for child processes: one free to hand out, and whether something listens on one yet. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port free now, for a child that must be told its port before it starts. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** Whether something accepts connections on {@code port}. */
    public static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
