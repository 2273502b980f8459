package io.wshunt.simulations;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.wshunt.report.InjectorAccounting;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What this injector saw, counted at the virtual users: Gatling's report counts requests, not
 * messages, so the end-to-end accounting (sent, acked, delivered) is kept here.
 */
final class Counters {
    final LongAdder connected = new LongAdder();
    final LongAdder connectFailed = new LongAdder();
    final LongAdder benchmarkSent = new LongAdder();
    final LongAdder acksReceived = new LongAdder();
    final LongAdder chatSent = new LongAdder();
    final LongAdder echoesReceived = new LongAdder();
    final LongAdder broadcastsReceived = new LongAdder();
    final LongAdder sendersDone = new LongAdder();
    /** Users that sent their whole burst (MessageThroughput). */
    final LongAdder burstsDone = new LongAdder();
    /** Server timestamp to arrival at a receiving user, in ms, for every broadcast received. */
    final Histogram deliveryLatencyMillis = new ConcurrentHistogram(3_600_000L, 3);

    private final AtomicLong firstConnectNanos = new AtomicLong();
    private final AtomicLong lastConnectedNanos = new AtomicLong();
    private final AtomicLong firstChatMillis = new AtomicLong();
    /** The earliest server timestamp of a broadcast received: when the round began, for an injector with no sender. */
    private final AtomicLong firstBroadcastMillis = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastDeliveryMillis = new AtomicLong();
    private final AtomicLong firstSendNanos = new AtomicLong();
    private final AtomicLong lastSendNanos = new AtomicLong();
    /** Broadcasts received in each second of this machine's clock (epoch seconds): a ladder's steps, counted at the receivers. */
    private final Map<Long, LongAdder> deliveriesBySecond = new ConcurrentHashMap<>();
    /** The second most arrivals fall in, kept at hand: no map lookup per delivery. */
    private volatile Second currentSecond = new Second(Long.MIN_VALUE, new LongAdder());

    private record Second(long epochSecond, LongAdder arrivals) {
    }
    private volatile long startNanos;

    void start() {
        startNanos = System.nanoTime();
    }

    long startNanos() {
        return startNanos;
    }

    long arrived() {
        return connected.sum() + connectFailed.sum();
    }

    void connecting() {
        firstConnectNanos.compareAndSet(0, System.nanoTime());
    }

    void connectedNow() {
        connected.increment();
        lastConnectedNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** Users connected per second, from the first connect attempt to the last welcome. */
    double connectRate() {
        long first = firstConnectNanos.get();
        long last = lastConnectedNanos.get();
        return first == 0 || last <= first ? 0 : connected.sum() / ((last - first) / 1e9);
    }

    void chatSentNow() {
        chatSent.increment();
        firstChatMillis.compareAndSet(0, System.currentTimeMillis());
        sent();
    }

    /** Server clock minus this one ({@link ClockOffset}), added to each arrival before it is set against the server's timestamp. */
    private volatile long clockOffsetMillis;

    void clockOffset(ClockOffset offset) {
        clockOffsetMillis = Math.round(offset.millis());
    }

    void broadcastReceived(long localArrivalMillis, long serverMillis) {
        long arrivalMillis = localArrivalMillis + clockOffsetMillis;
        broadcastsReceived.increment();
        arrivedIn(localArrivalMillis / 1000);
        deliveryLatencyMillis.recordValue(Math.max(0, arrivalMillis - serverMillis));
        lastDeliveryMillis.accumulateAndGet(arrivalMillis, Math::max);
        if (serverMillis > 0) {
            firstBroadcastMillis.accumulateAndGet(serverMillis, Math::min);
        }
    }

    /**
     * Broadcasts received per second, from the first chat message sent (by this injector's senders,
     * or by the server as the first broadcast's timestamp says) to the last delivery. Counted from
     * this injector's own first chat only, an injector without a sender had no window and reported
     * 0/s: the run's delivery rate was the one injector with the sender's, a third of it.
     */
    double deliveryRate() {
        long chat = firstChatMillis.get();
        long first = Math.min(chat == 0 ? Long.MAX_VALUE : chat, firstBroadcastMillis.get());
        long last = lastDeliveryMillis.get();
        return first == Long.MAX_VALUE || last <= first ? 0 : broadcastsReceived.sum() / ((last - first) / 1000.0);
    }

    void sent() {
        long now = System.nanoTime();
        firstSendNanos.compareAndSet(0, now);
        lastSendNanos.accumulateAndGet(now, Math::max);
    }

    /** Seconds from the first message sent to the last, the window a message rate is taken over. */
    double sendWindowSeconds() {
        long first = firstSendNanos.get();
        return first == 0 ? 0 : (lastSendNanos.get() - first) / 1e9;
    }

    /** Counts one arrival in its second; a second other than the last one seen is looked up (or added) once, then kept at hand. */
    private void arrivedIn(long epochSecond) {
        Second second = currentSecond;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, deliveriesBySecond.computeIfAbsent(epochSecond, added -> new LongAdder()));
            currentSecond = second;
        }
        second.arrivals().increment();
    }

    /** Whether no broadcast has been counted as arriving for {@code quiet}, or none ever was. */
    boolean nothingArrivedFor(Duration quiet) {
        return System.currentTimeMillis() + clockOffsetMillis - lastDeliveryMillis.get() >= quiet.toMillis();
    }

    /** Broadcasts received in each second, in time order, keyed by the epoch second as text (see {@link InjectorAccounting#DELIVERIES_BY_SECOND}). */
    Map<String, Long> deliveriesBySecond() {
        Map<String, Long> bySecond = new TreeMap<>();
        deliveriesBySecond.forEach((second, count) -> bySecond.put(String.valueOf(second), count.sum()));
        return bySecond;
    }

    /** What this injector's users sent and received, as the runner reads it. */
    InjectorAccounting.Counts snapshot() {
        return new InjectorAccounting.Counts(connected.sum(), connectFailed.sum(), benchmarkSent.sum(), acksReceived.sum(), chatSent.sum(),
                echoesReceived.sum(), broadcastsReceived.sum(), sendWindowSeconds(), connectRate(), deliveryRate(),
                new InjectorAccounting.Latency(deliveryLatencyMillis.getTotalCount(), deliveryLatencyMillis.getValueAtPercentile(50),
                        deliveryLatencyMillis.getValueAtPercentile(95), deliveryLatencyMillis.getValueAtPercentile(99),
                        deliveryLatencyMillis.getMaxValue()));
    }
}
