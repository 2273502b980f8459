package io.wshunt.runner.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A server of another stack, started by its team's own command with {@code {port}} where the
 * port goes, on loopback, on the CPUs wshunt's servers would get; ready once the port takes a
 * connection. Stopped with everything it started.
 */
public record CommandServer(Process process, int port) {
    /** The placeholder of a command that the port replaces. */
    public static final String PORT = "{port}";
    private static final Duration START = Duration.ofSeconds(60);

    /** Starts {@code command}, which holds {@link #PORT} (the gate's options check it), on a free port. */
    public static CommandServer start(ChildProcesses children, String command, String cpus, Path log) throws IOException, InterruptedException {
        int port = Ports.free();
        List<String> line = new ArrayList<>();
        if (!cpus.isBlank()) {
            line.addAll(List.of("taskset", "-c", cpus));
        }
        line.addAll(List.of("bash", "-c", command.replace(PORT, String.valueOf(port))));
        Process process = children.start(line, log);
        long deadline = System.nanoTime() + START.toNanos();
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                children.stop(process);
                throw new IOException("the server command did not listen on port " + port + " within " + START.toSeconds() + " s; see " + log);
            }
            Thread.sleep(100);
        }
        return new CommandServer(process, port);
    }

    /** Where a client connects: the scheme and authority; the protocol profile gives the path. */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
