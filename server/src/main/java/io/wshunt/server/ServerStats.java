package io.wshunt.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import org.eclipse.jetty.util.Callback;

/**
 * The server's counters. Hot-path counters are {@link LongAdder}s, so that tens of thousands of
 * increments per second from many threads never contend on one memory word.
 */
public final class ServerStats {
    private final long startNanos = System.nanoTime();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();

    final LongAdder connects = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder benchmarkMessages = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder acksDropped = new LongAdder();
    final LongAdder chatMessages = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder deliveriesDropped = new LongAdder();
    /** Broadcasts written to every session of one delivery lane, and their time from hand-over to the end of that write pass. */
    final LongAdder fanOuts = new LongAdder();
    final LongAdder fanOutMicros = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder rejectedFrames = new LongAdder();
    final LongAdder backplaneErrors = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    /** Sockets open on the WebSocket port, upgraded or not; set once the connectors exist. */
    private volatile IntSupplier openSockets = () -> -1;

    /** Completes every ack send: one stateless callback, no allocation per message. */
    final Callback ackSent = counting(acks, acksDropped);
    /** Completes every broadcast delivery: one stateless callback, no allocation per recipient. */
    final Callback deliverySent = counting(deliveries, deliveriesDropped);

    private static Callback counting(LongAdder written, LongAdder dropped) {
        return Callback.from(written::increment, failure -> dropped.increment());
    }

    void connected() {
        connects.increment();
        int now = connections.incrementAndGet();
        peakConnections.accumulateAndGet(now, Math::max);
    }

    void disconnected() {
        disconnects.increment();
        connections.decrementAndGet();
    }

    void countOpenSocketsWith(IntSupplier sockets) {
        this.openSockets = sockets;
    }

    public int connections() {
        return connections.get();
    }

    /** A consistent-enough picture for /stats: each value is read once, in this order. */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections", connections.get());
        out.put("peak_connections", peakConnections.get());
        // More sockets than connections: clients that never upgrade (a slowloris), each holding a file.
        out.put("open_sockets", openSockets.getAsInt());
        out.put("connects", connects.sum());
        out.put("disconnects", disconnects.sum());
        out.put("benchmark_messages", benchmarkMessages.sum());
        out.put("acks", acks.sum());
        out.put("acks_dropped", acksDropped.sum());
        out.put("chat_messages", chatMessages.sum());
        out.put("deliveries", deliveries.sum());
        out.put("deliveries_dropped", deliveriesDropped.sum());
        out.put("fan_outs", fanOuts.sum());
        out.put("fan_out_us", fanOutMicros.sum());
        out.put("errors", errors.sum());
        out.put("rejected_frames", rejectedFrames.sum());
        out.put("backplane_errors", backplaneErrors.sum());
        out.put("refused_connections", refusedConnections.sum());
        out.put("uptime_ms", (System.nanoTime() - startNanos) / 1_000_000);
        out.putAll(ProcessMetrics.snapshot());
        return out;
    }
}
