package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProcessMetricsTest {
    @Test
    void aCostlyFigureIsComputedOnceASecondHoweverOftenItIsAskedFor() throws InterruptedException {
        ProcessMetrics.SecondCache cache = new ProcessMetrics.SecondCache();
        AtomicLong computations = new AtomicLong();

        for (int i = 0; i < 100; i++) {
            assertThat(cache.get(computations::incrementAndGet)).isEqualTo(1);
        }
        Thread.sleep(1_100);

        assertThat(cache.get(computations::incrementAndGet)).isEqualTo(2);
        assertThat(computations).hasValue(2);
    }

    @Test
    void residentMemoryIsReadFromProcAndWhereThereIsNoProcFromPs() {
        long fromSnapshot = (Long) ProcessMetrics.snapshot().get("rss_bytes");
        long fromPs = ProcessMetrics.residentBytesByPs(); // macOS's path; procps answers the same question on Linux

        assertThat(fromSnapshot).isGreaterThan(1024 * 1024);
        assertThat(fromPs).isGreaterThan(1024 * 1024);
    }

    @Test
    void theSnapshotCountsThisProcesssOpenFiles() {
        assertThat((Long) ProcessMetrics.snapshot().get("open_files")).isPositive();
    }

    @Test
    void theSnapshotCountsBytesAllocatedAndTheJavaThreadsCpu() {
        Map<String, Object> before = ProcessMetrics.snapshot();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[64 * 1024];
        }
        long busyUntil = System.nanoTime() + 50_000_000L;
        long spins = 0;
        while (System.nanoTime() < busyUntil) {
            spins++;
        }
        Map<String, Object> after = ProcessMetrics.snapshot();

        assertThat((Long) after.get("allocated_bytes") - (Long) before.get("allocated_bytes")).as("4 MB allocated here")
                .isGreaterThanOrEqualTo(64L * 64 * 1024);
        assertThat((Long) after.get("thread_cpu_time_ns")).as("after %d spins", spins).isGreaterThan((Long) before.get("thread_cpu_time_ns"));
        assertThat((Long) after.get("direct_bytes")).isNotNegative();
        assertThat(garbage[63]).hasSize(64 * 1024);
    }
}
