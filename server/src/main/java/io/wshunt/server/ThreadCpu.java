package io.wshunt.server;

import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the process's Java threads since it started, those that have ended included: the
 * process's time without the JIT compilers and the garbage collector, whose share of a short
 * window swings from one JVM to the next. The JDK forgets a thread's time when the thread ends,
 * and Jetty's pool ends threads idle for a minute, so a sum over the live threads alone drops a
 * whole thread's past out of the middle of a measured window. Each thread's last reading is kept
 * instead, and moves to the ended total once the thread is gone. Lost: what an ending thread spent
 * after its last reading, next to nothing for a thread that ends because it had no work.
 */
final class ThreadCpu {
    private final com.sun.management.ThreadMXBean threads;
    private Map<Long, Long> lastReadings = new HashMap<>();
    private long endedNanos;
    private long ended;

    ThreadCpu(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    /** Nanoseconds of CPU of every Java thread so far, live or ended. */
    synchronized long totalNanos() {
        long[] ids = threads.getAllThreadIds();
        long[] nanos = threads.getThreadCpuTime(ids);
        Map<Long, Long> readings = new HashMap<>(ids.length * 2);
        long live = 0;
        for (int i = 0; i < ids.length; i++) {
            // -1: the thread ended between the listing and the reading; its last reading stands for it below.
            if (nanos[i] >= 0) {
                readings.put(ids[i], nanos[i]);
                live += nanos[i];
            }
        }
        for (Map.Entry<Long, Long> last : lastReadings.entrySet()) {
            if (!readings.containsKey(last.getKey())) {
                endedNanos += last.getValue();
                ended++;
            }
        }
        lastReadings = readings;
        return endedNanos + live;
    }

    /** Threads seen alive once and gone since. */
    synchronized long ended() {
        return ended;
    }
}
