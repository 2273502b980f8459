package io.wshunt.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A deliberate regression that is real CPU work: a loop sized so that one call costs about the
 * given nanoseconds of the calling thread's CPU time, calibrated once against the thread CPU clock
 * ({@link ThreadMXBean}). Unlike a wall-clock spin, a thread preempted mid-loop still does all of it.
 */
final class CpuWork {
    private static final long CALIBRATION_CPU_NANOS = 200_000_000L;

    private final long iterations;
    private final long seed = System.nanoTime() | 1;
    /**
     * Keeps the JIT from removing the loop. Written only when the loop's result is 0, which never
     * happens: no shared write per message, so threads do not contend for it.
     */
    private volatile long sink;

    private CpuWork(long iterations) {
        this.iterations = iterations;
    }

    static CpuWork none() {
        return new CpuWork(0);
    }

    /** Work of {@code nanos} CPU nanoseconds per call; calibration takes about 0.3 s of CPU. */
    static CpuWork ofNanos(long nanos) {
        if (nanos <= 0) return none();
        CpuWork probe = new CpuWork(10_000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        probe.runFor(threads, CALIBRATION_CPU_NANOS / 2); // let the JIT compile the loop first
        long calls = probe.runFor(threads, CALIBRATION_CPU_NANOS);
        double nanosPerIteration = (double) CALIBRATION_CPU_NANOS / (calls * probe.iterations);
        return new CpuWork(Math.max(1, Math.round(nanos / nanosPerIteration)));
    }

    private long runFor(ThreadMXBean threads, long cpuNanos) {
        long start = threads.getCurrentThreadCpuTime();
        long calls = 0;
        long spent;
        do {
            run();
            calls++;
            spent = threads.getCurrentThreadCpuTime() - start;
        } while (spent < cpuNanos);
        // Scale to exactly cpuNanos so the caller can divide by the target.
        return Math.max(1, Math.round(calls * (double) cpuNanos / spent));
    }

    void run() {
        long x = seed;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        if (x == 0) {
            sink = x;
        }
    }

    boolean isNone() {
        return iterations == 0;
    }
}
