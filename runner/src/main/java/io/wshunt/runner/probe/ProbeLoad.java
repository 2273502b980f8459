package io.wshunt.runner.probe;

import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Recorder;

/** What the probe's connections share during one phase: the frames they send, and what they count. */
final class ProbeLoad {
    final LongAdder sent = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder acksReceived = new LongAdder();
    final LongAdder deliveriesReceived = new LongAdder();
    /** Round-trip times in microseconds, up to a minute. */
    final Recorder ackMicros = new Recorder(60_000_000L, 3);
    private volatile boolean running = true;

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
    }

    void ackReceived(long nanos) {
        acksReceived.increment();
        ackMicros.recordValue(Math.min(60_000_000L, Math.max(1, nanos / 1_000)));
    }
}
