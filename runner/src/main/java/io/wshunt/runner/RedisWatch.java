package io.wshunt.runner;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.wshunt.runner.process.ListeningProcess;

/**
 * Asks the run's Redis, wherever it runs (a child process, a container, a given URI), whether it
 * still answers PING, within half a second: a dead or hung backplane silently stops broadcasts
 * from crossing between server processes, and the run must say so.
 */
final class RedisWatch {
    private static final int TIMEOUT_MILLIS = 500;

    private final URI uri;

    RedisWatch(String uri) {
        this.uri = URI.create(uri);
    }

    /** The Redis process, where it runs on this machine (a child process or a local container): found by the port it listens on. */
    Optional<ListeningProcess> process() {
        return uri.getHost() == null ? Optional.empty() : ListeningProcess.serving(uri.getHost(), port());
    }

    private int port() {
        return uri.getPort() < 0 ? 6379 : uri.getPort();
    }

    String uri() {
        return RedisLauncher.shown(uri.toString());
    }

    boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(5);
            // +PONG, or -NOAUTH from a Redis with a password: either way it is alive.
            return answer.length > 0 && (answer[0] == '+' || answer[0] == '-');
        } catch (IOException e) {
            return false;
        }
    }
}
