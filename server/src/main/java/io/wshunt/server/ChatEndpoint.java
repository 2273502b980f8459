package io.wshunt.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's connection, from the welcome to the close, on Jetty's core WebSocket API: frames
 * come in as bytes and are parsed as JSON without a String in between. The core API keeps no
 * copy of the upgrade request per connection (Jetty's own API keeps one, and with it the whole
 * HTTP connection: about 5 KB per idle user).
 */
final class ChatEndpoint implements FrameHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ChatEndpoint.class);

    private final String userId;
    /** Counted against a per-address cap; null when there is none. */
    private final String remoteAddress;
    private final Admission admission;
    private final ConnectedSessions sessions;
    private final Broadcast broadcast;
    private final ServerStats stats;
    private final InjectedRegression.Cost ackCost;
    private final InjectedRegression.Cost connectCost;
    /** What an injected regression allocated or holds; kept so that the JIT cannot leave it out. */
    private byte[] injectedHeld;
    private byte[] injectedGarbage;
    private CoreSession session;
    /** The start of a text message that came in several frames; null between messages, which are nearly always one frame. */
    private ByteArrayOutputStream fragments;
    /** A binary message is refused at its first frame; its continuation frames are dropped. */
    private boolean droppingBinary;

    ChatEndpoint(String userId, String remoteAddress, ConnectedSessions sessions, Broadcast broadcast, ServerStats stats, InjectedRegression injected,
                 Admission admission) {
        this.userId = userId;
        this.remoteAddress = remoteAddress;
        this.admission = admission;
        this.sessions = sessions;
        this.broadcast = broadcast;
        this.stats = stats;
        this.ackCost = injected.cost(InjectedRegression.Path.ACK);
        this.connectCost = injected.cost(InjectedRegression.Path.CONNECT);
        this.injectedHeld = injected.heldPerConnection();
    }

    @Override
    public void onOpen(CoreSession session, Callback callback) {
        this.session = session;
        if (!connectCost.isNone()) {
            injectedGarbage = connectCost.pay();
        }
        sessions.add(session);
        admission.opened(remoteAddress);
        send(Protocol.connected(userId, System.currentTimeMillis()), Callback.NOOP);
        callback.succeeded();
        session.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> onText(frame, callback);
            case OpCode.CONTINUATION -> {
                if (droppingBinary) {
                    droppingBinary = !frame.isFin();
                    done(callback);
                } else {
                    onText(frame, callback);
                }
            }
            case OpCode.BINARY -> {
                stats.rejectedFrames.increment();
                droppingBinary = !frame.isFin();
                session.close(CloseStatus.BAD_DATA, "binary frames are not supported; send JSON text", Callback.NOOP);
                done(callback);
            }
            case OpCode.CLOSE -> callback.succeeded(); // Jetty answers the close
            default -> done(callback); // ping (Jetty answers it) and pong
        }
    }

    private void onText(Frame frame, Callback callback) {
        ByteBuffer payload = frame.getPayload();
        int buffered = fragments == null ? 0 : fragments.size();
        if (buffered + frame.getPayloadLength() > session.getMaxTextMessageSize()) {
            fragments = null;
            callback.failed(new MessageTooLargeException("a text message is limited to " + session.getMaxTextMessageSize() + " bytes"));
            return;
        }
        if (!frame.isFin()) {
            if (fragments == null) {
                fragments = new ByteArrayOutputStream();
            }
            fragments.writeBytes(BufferUtil.toArray(payload));
        } else if (fragments != null) {
            fragments.writeBytes(BufferUtil.toArray(payload));
            ByteBuffer whole = ByteBuffer.wrap(fragments.toByteArray());
            fragments = null;
            handle(whole);
        } else {
            handle(payload);
        }
        done(callback);
    }

    private void handle(ByteBuffer text) {
        Protocol.Inbound message = Protocol.parse(text);
        if (message instanceof Protocol.Benchmark benchmark) {
            if (!ackCost.isNone()) {
                injectedGarbage = ackCost.pay();
            }
            stats.benchmarkMessages.increment();
            if (benchmark.id() != null) {
                send(Protocol.ack(benchmark.id()), stats.ackSent);
            }
        } else if (message instanceof Protocol.Chat chat) {
            stats.chatMessages.increment();
            broadcast.publish(Protocol.message(userId, chat.content(), System.currentTimeMillis()));
        } else if (message instanceof Protocol.Invalid invalid) {
            stats.errors.increment();
            send(Protocol.error(invalid.reason()), Callback.NOOP);
        }
    }

    private void send(String text, Callback callback) {
        session.sendFrame(new Frame(OpCode.TEXT, text), callback, false);
    }

    private void done(Callback callback) {
        callback.succeeded();
        session.demand();
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        if (cause instanceof MessageTooLargeException) {
            stats.rejectedFrames.increment();
        }
        LOG.debug("connection of {} failed", userId, cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        if (session != null) {
            sessions.remove(session);
            admission.closed(remoteAddress);
        }
        callback.succeeded();
    }
}
