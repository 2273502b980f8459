package io.wshunt.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The sessions this process holds, and delivery of one broadcast to all of them. A broadcast is
 * encoded to bytes once and every recipient gets a view of the same buffer; sends are asynchronous,
 * so a slow reader only fills its own queue. When that queue is full (the container's
 * max outgoing frames), Jetty fails the send and the delivery is dropped and counted.
 */
public final class ConnectedSessions {
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ServerStats stats;
    private final Callback deliveryCounter;

    ConnectedSessions(ServerStats stats) {
        this.stats = stats;
        // One stateless callback serves every delivery: no allocation per recipient.
        this.deliveryCounter = Callback.from(stats.deliveries::increment, failure -> stats.deliveriesDropped.increment());
    }

    void add(Session session) {
        if (sessions.add(session)) {
            stats.connected();
        }
    }

    void remove(Session session) {
        if (sessions.remove(session)) {
            stats.disconnected();
        }
    }

    /** Sends one already-encoded message to every connected session. */
    public void deliverToAll(String message) {
        ByteBuffer encoded = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        for (Session session : sessions) {
            ((WebSocketSession) session).getCoreSession()
                    .sendFrame(new Frame(OpCode.TEXT, encoded.slice()), deliveryCounter, false);
        }
    }
}
