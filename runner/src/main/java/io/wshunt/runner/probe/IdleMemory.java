package io.wshunt.runner.probe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.JavaCommand;
import io.wshunt.contract.Json;
import io.wshunt.preflight.Shell;
import io.wshunt.runner.process.ServerFleet;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * What one server process holds per idle connection: its live heap (after a full collection,
 * asked through {@code jcmd}) and its resident memory with none, half and all of {@code count}
 * connections that send nothing. The second half gives the cost of one more connection; counted
 * from none, the pages the first connects touched weigh in too. Only for a server this process
 * started, whose pid it knows.
 */
public final class IdleMemory {
    /** A connection that sends nothing. Public because Jetty calls it through method handles. */
    public static final class IdleConnection implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketError(Throwable cause) {
            // Closed when the measurement ends: expected, not news.
        }
    }

    /** The server's live heap, direct buffers and resident memory with no connection, with half of them, and with all. */
    public record Figures(int connections, long[] heap, long[] direct, long[] rss) {
        /**
         * Live heap and direct buffers per connection, for the first half of the connections and for
         * the second (two samples of one server): what the server's own objects hold per connection,
         * close to exact after a full collection, where resident memory also moves with what the
         * collector keeps.
         */
        public double[] heldBytesPerConnectionByHalf() {
            return new double[] {held(0, 1, connections / 2), held(1, 2, connections - connections / 2)};
        }

        private double held(int from, int to, int count) {
            return direct[0] < 0 ? Double.NaN : (double) (heap[to] + direct[to] - heap[from] - direct[from]) / count;
        }

        /** Per connection over the second half only: what one more connection costs, once the first ones warmed the heap. */
        long marginal(long[] bytes) {
            return (bytes[2] - bytes[1]) / (connections - connections / 2);
        }

        long fromEmpty(long[] bytes) {
            return (bytes[2] - bytes[0]) / connections;
        }

        String line() {
            return String.format("idle %,d connections: live heap %,d bytes per connection (%,d from none), resident %,d bytes per connection (%,d from none); "
                            + "heap %,d -> %,d -> %,d MB, resident %,d -> %,d -> %,d MB",
                    connections, marginal(heap), fromEmpty(heap), marginal(rss), fromEmpty(rss),
                    heap[0] >> 20, heap[1] >> 20, heap[2] >> 20, rss[0] >> 20, rss[1] >> 20, rss[2] >> 20);
        }
    }

    private IdleMemory() {
    }

    public static Figures measure(ServerFleet.Server server, URI webSocket, int count) throws Exception {
        long[] heap = new long[3];
        long[] direct = new long[3];
        long[] rss = new long[3];
        WebSocketClient client = new WebSocketClient();
        client.setIdleTimeout(Duration.ofMinutes(5));
        client.start();
        try {
            snapshot(server, 0, heap, direct, rss);
            open(client, webSocket, 0, count / 2);
            snapshot(server, 1, heap, direct, rss);
            open(client, webSocket, count / 2, count);
            JsonNode all = snapshot(server, 2, heap, direct, rss);
            if (all.path("connections").asLong() < count) {
                throw new IllegalStateException("the server holds " + all.path("connections").asLong() + " connections, not " + count);
            }
            return new Figures(count, heap, direct, rss);
        } finally {
            LifeCycle.stop(client);
        }
    }

    private static void open(WebSocketClient client, URI webSocket, int from, int to) throws Exception {
        List<CompletableFuture<Session>> opening = new ArrayList<>();
        for (int i = from; i < to; i++) {
            opening.add(client.connect(new IdleConnection(), URI.create(webSocket + "/idle-" + i)));
            if (opening.size() % 500 == 0) {
                CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Thread.sleep(2_000); // welcomes written, buffers handed back
    }

    private static JsonNode snapshot(ServerFleet.Server server, int index, long[] heap, long[] direct, long[] rss) throws Exception {
        JsonNode stats = afterFullCollection(server);
        heap[index] = stats.path("heap_used_bytes").asLong();
        direct[index] = stats.path("direct_bytes").asLong(-1);
        rss[index] = stats.path("rss_bytes").asLong();
        return stats;
    }

    /** The server's /stats right after a full collection, so that the heap figure is what is live. */
    private static JsonNode afterFullCollection(ServerFleet.Server server) throws Exception {
        Shell.Result gc = Shell.run(List.of(JavaCommand.tool("jcmd"), String.valueOf(server.process().pid()), "GC.run"), java.util.Map.of(), Duration.ofSeconds(30));
        if (!gc.ok()) {
            throw new IllegalStateException("jcmd GC.run on the server (pid " + server.process().pid() + ") failed");
        }
        return Json.get(server.statsUri()).orElseThrow(() -> new IllegalStateException("the server's /stats did not answer"));
    }
}
