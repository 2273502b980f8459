package io.wshunt.simulations;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.contract.Json;

/**
 * What every server of the run holds, summed from their /stats by one poller per injector, so
 * that users of several injectors can wait for each other (all connected, all chat sent) without
 * each virtual user asking the servers itself.
 */
final class ClusterView implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofMillis(500);

    private final List<URI> statsUris;
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

    /**
     * Every counter of {@link SimulationOutcome#SERVER_COUNTERS} summed over all servers, read now;
     * empty when the servers are not known or one does not answer. Read at an injector's start and
     * end, they let whoever merges injectors from several machines count at the servers too.
     */
    Optional<Map<String, Long>> counters() {
        if (!known()) return Optional.empty();
        Map<String, Long> sums = new LinkedHashMap<>();
        for (URI uri : statsUris) {
            Optional<JsonNode> answer = Json.get(uri);
            if (answer.isEmpty()) return Optional.empty();
            for (String counter : SimulationOutcome.SERVER_COUNTERS) {
                sums.merge(counter, answer.get().path(counter).asLong(), Long::sum);
            }
        }
        return Optional.of(sums);
    }

    private void poll() {
        long connectionSum = 0;
        long chatSum = 0;
        long settledSum = 0;
        for (URI uri : statsUris) {
            Optional<JsonNode> answer = Json.get(uri);
            if (answer.isEmpty()) {
                return; // A server that does not answer leaves the last complete view in place.
            }
            JsonNode stats = answer.get();
            connectionSum += stats.path("connections").asLong();
            chatSum += stats.path("chat_messages").asLong();
            settledSum += stats.path("deliveries").asLong() + stats.path("deliveries_dropped").asLong();
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
