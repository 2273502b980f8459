package io.wshunt.runner.probe;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One of the probe's connections. What it does on each send completion and each incoming frame
 * depends on the phase: keep {@code depth} benchmark frames on the wire (fire), keep {@code depth}
 * acks outstanding (ack), or keep {@code depth} chat messages outstanding until their echo comes
 * back (the broadcast sender); every connection counts the broadcasts it receives. Public because
 * Jetty calls it through method handles.
 */
public final class ProbeConnection implements Session.Listener.AutoDemanding {
    /** RECEIVER: counts (and times the acks of) what comes back and answers nothing; a pacer may send on it. */
    enum Mode { IDLE, FIRE, ACK, CHAT_SENDER, RECEIVER }

    /** Sends one pump task makes before it hands the thread back: writes often complete inline. */
    private static final int SENDS_PER_TASK = 64;

    private final Executor executor;
    private final ProbeProtocol protocol;
    /** Fire: frames written and not yet replaced by a new one. */
    private final AtomicInteger credits = new AtomicInteger();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private volatile ProbeLoad load = new ProbeLoad();
    private final ArrayDeque<Long> ackSentNanos = new ArrayDeque<>();
    private final Callback fireNext = Callback.from(this::onFireWritten, this::onSendFailed);
    /** Ack and chat sends are clocked by what comes back; only a failed write needs noting. */
    private final Callback failureCounter = Callback.from(() -> { }, this::onSendFailed);
    private volatile Mode mode = Mode.IDLE;
    private volatile Session session;

    ProbeConnection(Executor executor, ProbeProtocol protocol) {
        this.executor = executor;
        this.protocol = protocol;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    /** Starts this connection's part of a phase: the first {@code depth} sends. */
    void start(ProbeLoad phaseLoad, Mode newMode, int depth) {
        load = phaseLoad;
        mode = newMode;
        if (newMode == Mode.FIRE) {
            credits.set(depth);
            schedulePump();
            return;
        }
        for (int i = 0; i < depth; i++) {
            switch (newMode) {
                case ACK -> sendAck();
                case CHAT_SENDER -> sendChat();
                default -> {
                    return;
                }
            }
        }
    }

    void stop() {
        mode = Mode.IDLE;
    }

    /**
     * Fire keeps {@code depth} frames on the wire: each written frame is a credit for the next. A
     * write that completes inline would otherwise chain sends on one thread for as long as the
     * socket takes them, so a pump task sends a bounded batch and then reschedules itself.
     */
    private void onFireWritten() {
        credits.incrementAndGet();
        schedulePump();
    }

    private void schedulePump() {
        if (mode == Mode.FIRE && load.running() && pumping.compareAndSet(false, true)) {
            executor.execute(this::pump);
        }
    }

    private void pump() {
        for (int i = 0; i < SENDS_PER_TASK && mode == Mode.FIRE && load.running() && credits.get() > 0; i++) {
            credits.decrementAndGet();
            load.sent.increment();
            session.sendText(protocol.fire(), fireNext);
        }
        pumping.set(false);
        if (credits.get() > 0) {
            schedulePump();
        }
    }

    void sendAck() {
        synchronized (ackSentNanos) {
            ackSentNanos.addLast(System.nanoTime());
        }
        load.sent.increment();
        session.sendText(protocol.acked(), failureCounter);
    }

    void sendChat() {
        load.sent.increment();
        session.sendText(protocol.chat(), failureCounter);
    }

    private void onSendFailed(Throwable failure) {
        load.sendFailures.increment();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // A phase's verdict rests on counts; a connection closed at the end is no news.
    }

    @Override
    public void onWebSocketText(String text) {
        int read = protocol.read(text); // broadcasts in the frame, or an ack
        if (read > 0) {
            load.deliveriesReceived.add(read);
            if (mode == Mode.CHAT_SENDER && load.running()) {
                // Only the sender's own echoes reach it in this mode's count: one back, one more out.
                for (int i = 0; i < read; i++) sendChat();
            }
        } else if (read == ProbeProtocol.ACK) {
            long sent;
            synchronized (ackSentNanos) {
                sent = ackSentNanos.isEmpty() ? System.nanoTime() : ackSentNanos.removeFirst();
            }
            load.ackReceived(System.nanoTime() - sent);
            if (mode == Mode.ACK && load.running()) sendAck();
        }
    }
}
