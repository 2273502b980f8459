package io.wshunt.runner.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free TCP port on loopback, for a process the runner is about to start. */
public final class Ports {
    private Ports() {
    }

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /**
     * A free port that is none of {@code taken}: the kernel may hand the same free port to two
     * calls in a row, and a server given one port for two uses refuses to start.
     */
    public static int freeExcept(java.util.Collection<Integer> taken) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = free();
            if (!taken.contains(port)) return port;
        }
        throw new IllegalStateException("no free port apart from " + taken);
    }
}
