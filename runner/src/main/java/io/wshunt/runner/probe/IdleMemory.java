package io.wshunt.runner.probe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.runner.Http;
import io.wshunt.runner.ServerFleet;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * What one server process holds per idle connection: its live heap (after a full collection,
 * asked through {@code jcmd}) and its resident memory, before and after {@code count} connections
 * that send nothing. Only for a server this process started, whose pid it knows.
 */
public final class IdleMemory {
    /** A connection that sends nothing. Public because Jetty calls it through method handles. */
    public static final class IdleConnection implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketError(Throwable cause) {
            // Closed when the measurement ends: expected, not news.
        }
    }

    record Figures(int connections, long heapBytesPerConnection, long rssBytesPerConnection, long heapBefore, long heapAfter,
                   long rssBefore, long rssAfter) {
        String line() {
            return String.format("idle %,d connections: live heap %,d bytes per connection (%,d -> %,d MB), resident %,d bytes per connection (%,d -> %,d MB)",
                    connections, heapBytesPerConnection, heapBefore >> 20, heapAfter >> 20, rssBytesPerConnection, rssBefore >> 20, rssAfter >> 20);
        }
    }

    private IdleMemory() {
    }

    static Figures measure(ServerFleet.Server server, URI webSocket, int count) throws Exception {
        JsonNode before = afterFullCollection(server);
        WebSocketClient client = new WebSocketClient();
        client.setIdleTimeout(Duration.ofMinutes(5));
        client.start();
        try {
            List<CompletableFuture<Session>> opening = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opening.add(client.connect(new IdleConnection(), URI.create(webSocket + "/idle-" + i)));
                if (opening.size() % 500 == 0) {
                    CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                }
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            Thread.sleep(2_000); // welcomes written, buffers handed back
            JsonNode after = afterFullCollection(server);
            if (after.path("connections").asLong() < count) {
                throw new IllegalStateException("the server holds " + after.path("connections").asLong() + " connections, not " + count);
            }
            long heapBefore = before.path("heap_used_bytes").asLong();
            long heapAfter = after.path("heap_used_bytes").asLong();
            long rssBefore = before.path("rss_bytes").asLong();
            long rssAfter = after.path("rss_bytes").asLong();
            return new Figures(count, (heapAfter - heapBefore) / count, (rssAfter - rssBefore) / count, heapBefore, heapAfter, rssBefore, rssAfter);
        } finally {
            LifeCycle.stop(client);
        }
    }

    /** The server's /stats right after a full collection, so that the heap figure is what is live. */
    private static JsonNode afterFullCollection(ServerFleet.Server server) throws Exception {
        String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process gc = new ProcessBuilder(jcmd, String.valueOf(server.process().pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run on the server (pid " + server.process().pid() + ") failed");
        }
        return Http.getJson(server.statsUri()).orElseThrow(() -> new IllegalStateException("the server's /stats did not answer"));
    }
}
