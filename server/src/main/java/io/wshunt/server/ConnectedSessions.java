package io.wshunt.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The sessions this process holds, and delivery of one broadcast to all of them. A broadcast is
 * encoded to bytes once and every recipient gets a view of the same buffer; sends are asynchronous,
 * so a slow reader only fills its own queue. When that queue is full (the container's
 * max outgoing frames), Jetty fails the send and the delivery is dropped and counted.
 */
public final class ConnectedSessions {
    private final Set<CoreSession> sessions = ConcurrentHashMap.newKeySet();
    private final ServerStats stats;

    ConnectedSessions(ServerStats stats) {
        this.stats = stats;
    }

    void add(CoreSession session) {
        if (sessions.add(session)) {
            stats.connected();
        }
    }

    void remove(CoreSession session) {
        if (sessions.remove(session)) {
            stats.disconnected();
        }
    }

    /** Sends one already-encoded message to every connected session. */
    public void deliverToAll(String message) {
        ByteBuffer encoded = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        for (CoreSession session : sessions) {
            session.sendFrame(new Frame(OpCode.TEXT, encoded.slice()), stats.deliverySent, false);
        }
    }

    /** Tells every user the server is going away (1001), waiting up to {@code wait} for the close frames to be written. */
    void closeAll(Duration wait) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (CoreSession session : sessions) {
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
    }
}
