package io.wshunt.simulations;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.report.SimulationOutcome;

/**
 * What every server of the run holds, summed from their /stats by one poller per injector, so
 * that users of several injectors can wait for each other (all connected, all chat sent) without
 * each virtual user asking the servers itself. Against a server that gives no counters, the same
 * is read from what the injectors write for each other ({@link Peers}): users arrived and chat
 * messages sent, but no deliveries settled.
 */
final class ClusterView implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofMillis(500);
    /** What users wait on: connections, benchmark and chat messages counted, deliveries settled (written or dropped). */
    private static final List<String> POLLED = List.of("connections", "benchmark_messages", "chat_messages", "deliveries", "deliveries_dropped");

    private final List<URI> statsUris;
    private final Optional<Peers> peers;
    private final Counters own;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cluster-view");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long connections;
    private volatile long benchmarkMessages;
    private volatile long benchmarkMessagesAtStart;
    private volatile long chatMessages;
    private volatile long chatMessagesAtStart = -1;
    private volatile long deliveriesSettled;
    private volatile long deliveriesSettledAtStart;

    ClusterView(List<URI> statsUris, Optional<Peers> peers, Counters own) {
        this.statsUris = statsUris;
        this.peers = statsUris.isEmpty() ? peers : Optional.empty();
        this.own = own;
    }

    /** Whether users of the whole run can be waited for: through the servers' counters or the other injectors'. */
    boolean known() {
        return !statsUris.isEmpty() || peers.isPresent();
    }

    /** Whether the servers' counters are read: they say what arrived and how many deliveries they finished, the injectors cannot. */
    boolean readsServerCounters() {
        return !statsUris.isEmpty();
    }

    void start() {
        if (known()) {
            poll();
            chatMessagesAtStart = chatMessages;
            benchmarkMessagesAtStart = benchmarkMessages;
            deliveriesSettledAtStart = deliveriesSettled;
            poller.scheduleAtFixedRate(this::poll, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Users connected at the servers; from the injectors, users that arrived (connected, or failed for good). */
    long connections() {
        return connections;
    }

    /** Benchmark messages the servers counted since the start; 0 without the servers' counters. */
    long benchmarkMessagesSinceStart() {
        return benchmarkMessages - benchmarkMessagesAtStart;
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
        return readsServerCounters() ? summed(SimulationOutcome.SERVER_COUNTERS) : Optional.empty();
    }

    private void poll() {
        if (peers.isPresent()) {
            peers.get().publish(own.arrived(), own.chatSent.sum());
            Map<String, Long> sums = peers.get().summed();
            connections = sums.get(Peers.ARRIVED);
            chatMessages = sums.get(Peers.CHAT_SENT);
            return;
        }
        // A server that does not answer leaves the last complete view in place.
        summed(POLLED).ifPresent(sums -> {
            connections = sums.get("connections");
            benchmarkMessages = sums.get("benchmark_messages");
            chatMessages = sums.get("chat_messages");
            deliveriesSettled = sums.get("deliveries") + sums.get("deliveries_dropped");
        });
    }

    /** These counters summed over every server's /stats, read now; empty when one does not answer. */
    private Optional<Map<String, Long>> summed(List<String> counters) {
        Map<String, Long> sums = new LinkedHashMap<>();
        counters.forEach(counter -> sums.put(counter, 0L));
        for (URI uri : statsUris) {
            Optional<JsonNode> answer = Json.get(uri);
            if (answer.isEmpty()) return Optional.empty();
            counters.forEach(counter -> sums.merge(counter, answer.get().path(counter).asLong(), Long::sum));
        }
        return Optional.of(sums);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
