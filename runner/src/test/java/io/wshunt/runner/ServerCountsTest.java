package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The servers' summed counter over a run: read between its readings, never outside them. */
class ServerCountsTest {
    @Test
    void aCounterIsReadStraightBetweenItsReadingsAndNotOutsideThem() {
        ServerCounts counts = new ServerCounts();
        counts.add(1_000, 50);
        counts.add(2_000, 50);
        counts.add(3_000, 1_050);

        assertThat(counts.at(2_500)).hasValue(550);
        assertThat(counts.at(3_000)).hasValue(1_050);
        assertThat(counts.at(3_001)).isEmpty();
        assertThat(counts.at(999)).isEmpty();
    }
}
