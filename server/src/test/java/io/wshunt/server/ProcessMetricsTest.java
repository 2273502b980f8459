package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;

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
    void theSnapshotCountsThisProcesssOpenFiles() {
        assertThat((Long) ProcessMetrics.snapshot().get("open_files")).isPositive();
    }
}
