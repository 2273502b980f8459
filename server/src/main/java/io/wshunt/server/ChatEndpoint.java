package io.wshunt.server;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One user's connection, from the welcome to the close. Public because Jetty calls it through method handles. */
public final class ChatEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(ChatEndpoint.class);

    private final String userId;
    private final ConnectedSessions sessions;
    private final Broadcast broadcast;
    private final ServerStats stats;
    private final CpuWork extraWork;
    private final Callback ackCounter;
    private Session session;

    ChatEndpoint(String userId, ConnectedSessions sessions, Broadcast broadcast, ServerStats stats, CpuWork extraWork) {
        this.userId = userId;
        this.extraWork = extraWork;
        this.sessions = sessions;
        this.broadcast = broadcast;
        this.stats = stats;
        this.ackCounter = Callback.from(stats.acks::increment, failure -> stats.acksDropped.increment());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        sessions.add(session);
        session.sendText(Protocol.connected(userId, System.currentTimeMillis()), Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String text) {
        Protocol.Inbound message = Protocol.parse(text);
        if (!extraWork.isNone() && !(message instanceof Protocol.Invalid)) {
            extraWork.run();
        }
        if (message instanceof Protocol.Benchmark benchmark) {
            stats.benchmarkMessages.increment();
            if (benchmark.id() != null) {
                session.sendText(Protocol.ack(benchmark.id()), ackCounter);
            }
        } else if (message instanceof Protocol.Chat chat) {
            stats.chatMessages.increment();
            broadcast.publish(Protocol.message(userId, chat.content(), System.currentTimeMillis()));
        } else if (message instanceof Protocol.Invalid invalid) {
            stats.errors.increment();
            session.sendText(Protocol.error(invalid.reason()), Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        stats.rejectedFrames.increment();
        session.close(StatusCode.BAD_DATA, "binary frames are not supported; send JSON text", Callback.NOOP);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (cause instanceof MessageTooLargeException) {
            stats.rejectedFrames.increment();
        }
        LOG.debug("connection of {} failed", userId, cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (session != null) {
            sessions.remove(session);
        }
    }
}
