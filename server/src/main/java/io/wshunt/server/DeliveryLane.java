package io.wshunt.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share of the connected sessions and the thread that delivers broadcasts to them, in the
 * order they were handed over, so that every core can write to sockets at once. The first lane
 * of a process has no thread: whoever broadcasts delivers it. A lane that falls
 * {@link #BACKLOG} broadcasts behind makes the broadcaster wait, as one thread delivering
 * everything would.
 */
final class DeliveryLane {
    static final int BACKLOG = 1_024;
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLane.class);
    private static final ByteBuffer STOP = ByteBuffer.allocate(0);

    private final Set<CoreSession> sessions = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ByteBuffer> pending = new ArrayBlockingQueue<>(BACKLOG);
    private final ServerStats stats;
    private volatile boolean stopped;

    DeliveryLane(ServerStats stats) {
        this.stats = stats;
    }

    Set<CoreSession> sessions() {
        return sessions;
    }

    /** Gives this lane its own thread. */
    void start(String name) {
        Thread thread = new Thread(this::deliverUntilStopped, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a broadcast for this lane's thread; once the lane is stopped, counts it as dropped for each of its sessions. */
    void hand(ByteBuffer encoded) {
        try {
            while (!stopped) {
                if (pending.offer(encoded, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.deliveriesDropped.add(sessions.size());
    }

    /** Sends one encoded broadcast to every session of this lane, on the calling thread. */
    void deliver(ByteBuffer encoded) {
        Callback sent = stats.deliverySent;
        for (CoreSession session : sessions) {
            session.sendFrame(new Frame(OpCode.TEXT, encoded.slice()), sent, false);
        }
    }

    /** Ends the lane's thread; broadcasts it had not delivered yet are counted as dropped. */
    void stop() {
        stopped = true;
        List<ByteBuffer> undelivered = new ArrayList<>();
        pending.drainTo(undelivered);
        stats.deliveriesDropped.add((long) undelivered.size() * sessions.size());
        pending.offer(STOP);
    }

    /** Delivers until stopped; a failure with one broadcast is logged and the lane goes on, so a broadcaster never waits on a dead lane. */
    private void deliverUntilStopped() {
        try {
            for (ByteBuffer next = pending.take(); next != STOP; next = pending.take()) {
                try {
                    deliver(next);
                } catch (RuntimeException e) {
                    LOG.warn("a broadcast failed in {}; the lane goes on", Thread.currentThread().getName(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
