package io.wshunt.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;

/**
 * The sessions this process holds, and delivery of one broadcast to all of them. A broadcast is
 * encoded to bytes once and every recipient gets a view of the same buffer. The sessions are
 * split into lanes, one per fan-out thread, so that a broadcast is written to every socket by
 * every core at once rather than by one thread in turn; the broadcasting thread (a Jetty thread
 * or the Redis subscriber) only hands it over, and is free for the next one. Sends are
 * asynchronous, so a slow reader only fills its own queue. When that queue is full (the
 * container's max outgoing frames), Jetty fails the send and the delivery is dropped and counted.
 */
public final class ConnectedSessions {
    private final List<DeliveryLane> lanes = new ArrayList<>();
    private final ServerStats stats;

    /** {@code fanOutThreads} lanes, each with a thread of its own; {@code injected} is paid per delivery (none but to prove the gate). */
    ConnectedSessions(ServerStats stats, int fanOutThreads, InjectedRegression.Cost injected) {
        this.stats = stats;
        for (int i = 0; i < fanOutThreads; i++) {
            DeliveryLane lane = new DeliveryLane(stats, injected);
            lane.start("fan-out-" + i);
            lanes.add(lane);
        }
    }

    void add(CoreSession session) {
        if (laneOf(session).add(session)) {
            stats.connected();
        }
    }

    void remove(CoreSession session) {
        if (laneOf(session).remove(session)) {
            stats.disconnected();
        }
    }

    private Set<CoreSession> laneOf(CoreSession session) {
        return lanes.get(Math.floorMod(System.identityHashCode(session), lanes.size())).sessions();
    }

    /** Hands one already-encoded message to every lane, to be sent to every connected session. */
    public void deliverToAll(String message) {
        ByteBuffer encoded = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        for (DeliveryLane lane : lanes) {
            lane.hand(encoded);
        }
    }

    /** Tells every user the server is going away (1001), waiting up to {@code wait} for the close frames to be written. */
    void closeAll(Duration wait) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (CoreSession session : lanes.stream().flatMap(lane -> lane.sessions().stream()).toList()) {
            Callback.Completable closed = new Callback.Completable();
            session.close(CloseStatus.SHUTDOWN, "server shutting down", closed);
            closing.add(closed);
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A client that does not read keeps its close frame: the connectors' stop aborts it.
        }
        lanes.forEach(DeliveryLane::stop);
    }
}
