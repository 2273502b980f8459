package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The servers' summed counters over a run: read between their readings, never outside them. */
class ServerCountsTest {
    @Test
    void aCounterIsReadStraightBetweenItsReadingsAndNotOutsideThem() {
        ServerCounts counts = new ServerCounts();
        counts.add(1_000, Map.of("deliveries", 50L));
        counts.add(2_000, Map.of("deliveries", 50L));
        counts.add(3_000, Map.of("deliveries", 1_050L));

        assertThat(counts.at("deliveries", 2_500)).hasValue(550);
        assertThat(counts.at("deliveries", 3_000)).hasValue(1_050);
        assertThat(counts.at("deliveries", 3_001)).isEmpty();
        assertThat(counts.at("deliveries", 999)).isEmpty();
        assertThat(counts.rise("deliveries", 1_500, 2_500)).isEqualTo(500);
        assertThat(counts.rise("deliveries", 2_500, 3_500)).as("past the last reading: not covered, nothing counted").isZero();
        assertThat(counts.rise("benchmark_messages", 1_500, 2_500)).as("a counter the servers did not give").isZero();
    }
}
