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
 * order they were handed over, so that every core can write to sockets at once. Broadcasts that
 * queued up while the lane was writing go out together: each session gets them in one socket
 * write, so a saturated server pays one system call per session per batch rather than per
 * broadcast. A lane that falls {@link #BACKLOG} broadcasts behind makes the broadcaster wait, as
 * one thread delivering everything would.
 */
final class DeliveryLane {
    static final int BACKLOG = 1_024;
    /** Broadcasts written to a session at once; Jetty copies them into its output buffer. */
    static final int MOST_PER_WRITE = 16;
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLane.class);
    private static final Handed STOP = new Handed(ByteBuffer.allocate(0), 0);

    private final Set<CoreSession> sessions = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Handed> pending = new ArrayBlockingQueue<>(BACKLOG);
    private final ServerStats stats;
    private final InjectedRegression.Cost injected;
    /** What the injected regression allocated last, kept so that the JIT cannot leave it out. */
    private byte[] injectedGarbage;
    private volatile boolean stopped;

    DeliveryLane(ServerStats stats, InjectedRegression.Cost injected) {
        this.stats = stats;
        this.injected = injected;
    }

    Set<CoreSession> sessions() {
        return sessions;
    }

    /** Starts the lane's thread. */
    void start(String name) {
        Thread thread = new Thread(this::deliverUntilStopped, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A broadcast and when the lane got it, in System.nanoTime(). */
    private record Handed(ByteBuffer encoded, long atNanos) {
    }

    /** Queues a broadcast for this lane's thread; once the lane is stopped, counts it as dropped for each of its sessions. */
    void hand(ByteBuffer encoded) {
        Handed handed = new Handed(encoded, System.nanoTime());
        try {
            while (!stopped) {
                if (pending.offer(handed, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.deliveriesDropped.add(sessions.size());
    }

    /**
     * Sends broadcasts, in order, to every session of this lane, each session's in one write, and
     * counts how long each waited and took, from its hand-over to the end of the pass: with tens of
     * thousands of users, the pass itself is what a user at its end waits for.
     */
    private void deliver(List<Handed> broadcasts) {
        write(broadcasts);
        long now = System.nanoTime();
        long micros = 0;
        for (Handed one : broadcasts) {
            micros += (now - one.atNanos()) / 1_000;
        }
        stats.fanOuts.add(broadcasts.size());
        stats.fanOutMicros.add(micros);
    }

    private void write(List<Handed> broadcasts) {
        int last = broadcasts.size() - 1;
        for (CoreSession session : sessions) {
            if (!injected.isNone()) {
                for (int i = 0; i <= last; i++) {
                    injectedGarbage = injected.pay();
                }
            }
            Callback sent = stats.deliverySent;
            if (last > 0) {
                BatchSent batch = new BatchSent(broadcasts.size());
                for (int i = 0; i < last; i++) {
                    session.sendFrame(new Frame(OpCode.TEXT, broadcasts.get(i).encoded().slice()), batch.held, true);
                }
                sent = batch;
            }
            session.sendFrame(new Frame(OpCode.TEXT, broadcasts.get(last).encoded().slice()), sent, false);
        }
    }

    /** Ends the lane's thread; broadcasts it had not delivered yet are counted as dropped. */
    void stop() {
        stopped = true;
        List<Handed> undelivered = new ArrayList<>();
        pending.drainTo(undelivered);
        stats.deliveriesDropped.add((long) undelivered.size() * sessions.size());
        pending.offer(STOP);
    }

    /** Delivers until stopped; a failure with one batch is logged and the lane goes on, so a broadcaster never waits on a dead lane. */
    private void deliverUntilStopped() {
        List<Handed> batch = new ArrayList<>(MOST_PER_WRITE);
        try {
            while (true) {
                batch.add(pending.take());
                pending.drainTo(batch, MOST_PER_WRITE - 1);
                // By identity: List.indexOf would take any empty buffer for STOP.
                int stopAt = 0;
                while (stopAt < batch.size() && batch.get(stopAt) != STOP) {
                    stopAt++;
                }
                List<Handed> broadcasts = batch.subList(0, stopAt);
                try {
                    if (!broadcasts.isEmpty()) {
                        deliver(broadcasts);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{} broadcasts failed in {}; the lane goes on", broadcasts.size(), Thread.currentThread().getName(), e);
                }
                if (stopAt < batch.size()) {
                    return;
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Counts one session's share of a batch when the write carrying its last broadcast completes.
     * Jetty completes the others as soon as it has copied them into that write, so they only report
     * a failure, which always comes before the last one's outcome.
     */
    private final class BatchSent implements Callback {
        private final int broadcasts;
        private volatile int failedEarlier;
        final Callback held = Callback.from(() -> { }, failure -> failedEarlier++);

        BatchSent(int broadcasts) {
            this.broadcasts = broadcasts;
        }

        @Override
        public void succeeded() {
            stats.deliveries.add(broadcasts - failedEarlier);
            stats.deliveriesDropped.add(failedEarlier);
        }

        @Override
        public void failed(Throwable failure) {
            stats.deliveriesDropped.add(broadcasts);
        }
    }
}
