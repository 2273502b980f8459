package io.wshunt.simulations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every server of the run holds, summed from their /stats by one poller per injector, so
 * that users of several injectors can wait for each other (all connected, all chat sent) without
 * each virtual user asking the servers itself.
 */
final class ClusterView implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PERIOD = Duration.ofMillis(500);

    private final List<URI> statsUris;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cluster-view");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long connections;
    private volatile long chatMessages;
    private volatile long chatMessagesAtStart = -1;
    private volatile long deliveriesSettled;
    private volatile long deliveriesSettledAtStart;

    ClusterView(List<URI> statsUris) {
        this.statsUris = statsUris;
    }

    boolean known() {
        return !statsUris.isEmpty();
    }

    void start() {
        if (known()) {
            poll();
            chatMessagesAtStart = chatMessages;
            deliveriesSettledAtStart = deliveriesSettled;
            poller.scheduleAtFixedRate(this::poll, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    long connections() {
        return connections;
    }

    long chatMessagesSinceStart() {
        return chatMessages - Math.max(0, chatMessagesAtStart);
    }

    /** Deliveries the servers finished since the start, written or dropped. */
    long deliveriesSettledSinceStart() {
        return deliveriesSettled - deliveriesSettledAtStart;
    }

    private void poll() {
        long connectionSum = 0;
        long chatSum = 0;
        long settledSum = 0;
        for (URI uri : statsUris) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode stats = JSON.readTree(response.body());
                connectionSum += stats.path("connections").asLong();
                chatSum += stats.path("chat_messages").asLong();
                settledSum += stats.path("deliveries").asLong() + stats.path("deliveries_dropped").asLong();
            } catch (Exception e) {
                return; // A server that does not answer leaves the last complete view in place.
            }
        }
        connections = connectionSum;
        chatMessages = chatSum;
        deliveriesSettled = settledSum;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
