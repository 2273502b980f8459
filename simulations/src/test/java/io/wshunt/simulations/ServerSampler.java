package io.wshunt.simulations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Polls the server's /stats once a second during a run and keeps its resident memory at the
 * start and at peak connections, so that memory per connection is measured, not guessed.
 */
final class ServerSampler implements AutoCloseable {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "server-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long startRss = -1;
    private volatile long peakConnections;
    private volatile long rssAtPeak = -1;
    private volatile long maxRss = -1;

    ServerSampler(Supplier<Optional<JsonNode>> stats) {
        scheduler.scheduleAtFixedRate(() -> stats.get().ifPresent(this::sample), 0, 1, TimeUnit.SECONDS);
    }

    private void sample(JsonNode stats) {
        long rss = stats.path("rss_bytes").asLong(-1);
        long connections = stats.path("connections").asLong();
        if (startRss < 0) startRss = rss;
        if (connections >= peakConnections) {
            peakConnections = connections;
            rssAtPeak = rss;
        }
        maxRss = Math.max(maxRss, rss);
    }

    Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rss_start_bytes", startRss);
        out.put("peak_connections_sampled", peakConnections);
        out.put("rss_at_peak_bytes", rssAtPeak);
        out.put("rss_max_bytes", maxRss);
        out.put("rss_per_connection_bytes", bytesPerConnection());
        return out;
    }

    /** Growth of resident memory from the start to peak connections, per connection. */
    long bytesPerConnection() {
        return peakConnections > 0 && startRss > 0 && rssAtPeak > 0 ? (rssAtPeak - startRss) / peakConnections : -1;
    }

    String describe() {
        if (rssAtPeak < 0) return "unknown";
        return String.format("%,d MB at %,d connections (start %,d MB; %,d bytes per connection)",
                rssAtPeak >> 20, peakConnections, startRss >> 20, bytesPerConnection());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
