package io.wshunt.runner;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Makes an injector's young generation resident before its timed load. A page the JVM touches for
 * the first time costs about 16 µs here (a 1 GB heap's first pass: 4 s of CPU), and a young
 * generation sized to hold a ramp's garbage (InjectorFleet's flags) is mostly pages the warm-up
 * never reached: the seed's burst of 750,000 messages fell from 89,122 msg/s with the heap touched
 * beforehand to 65,127 without (1 run each). Touching it once in the warm-up costs the same CPU
 * but not in the timed load, and, unlike {@code -XX:+AlwaysPreTouch}, only where an injector warms
 * up and only the young generation.
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
