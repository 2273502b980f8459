package io.wshunt.runner;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Empties an injector's young generation, and makes it resident, before its timed ramp. A page the
 * JVM touches for the first time costs about 16 µs here (a 1 GB heap's first pass: 4 s of CPU),
 * and a ramp's young generation is sized to hold the ramp's garbage
 * ({@link InjectorFleet#RAMP_JVM_ARGS}): what the warm-up did not reach would be paid for in the
 * timed load. Unlike {@code -XX:+AlwaysPreTouch}, only where an injector warms up, and only the
 * young generation.
 */
final class YoungGeneration {
    private static final int CHUNK = 256 * 1024;
    /** Kept so that the JIT cannot leave the allocation out. */
    private static volatile byte[] sink;

    private YoungGeneration() {
    }

    /** Allocates until the next collection (which empties it) or {@code within}; the bytes allocated. */
    static long touchUntilCollected(Duration within) {
        long before = collections();
        long deadline = System.nanoTime() + within.toNanos();
        long allocated = 0;
        while (collections() == before && System.nanoTime() < deadline) {
            for (int i = 0; i < 64; i++) {
                sink = new byte[CHUNK];
                allocated += CHUNK;
            }
        }
        return allocated;
    }

    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }
}
