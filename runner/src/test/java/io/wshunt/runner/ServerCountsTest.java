package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.wshunt.contract.Json;
import io.wshunt.report.InjectorAccounting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void deliveriesCountedByTheReceiversEachSecondAreReadLikeTheServersCountersAndNothingArrivesBeforeOrAfter(@TempDir Path ladder) throws Exception {
        for (int injector = 1; injector <= 2; injector++) {
            Path folder = Files.createDirectories(ladder.resolve("injector-" + injector));
            Json.MAPPER.writeValue(InjectorAccounting.file(folder, "ChatBroadcast").toFile(),
                    Map.of(InjectorAccounting.DELIVERIES_BY_SECOND, Map.of("100", 1_000L, "102", 3_000L)));
        }
        Files.createDirectories(ladder.resolve("injector-3")); // one that wrote nothing: named as missing elsewhere, not counted here

        ServerCounts counts = ServerCounts.ofReceivers(FinderPaths.deliveriesBySecond(ladder, "ChatBroadcast"));

        assertThat(counts.rise("deliveries", 100_000, 101_000)).isEqualTo(2_000);
        assertThat(counts.rise("deliveries", 101_000, 102_000)).as("a second nothing arrived in").isZero();
        assertThat(counts.rise("deliveries", 100_500, 102_500)).as("half of each second's arrivals at either end").isEqualTo(1_000 + 3_000);
        assertThat(counts.rise("deliveries", 0, Long.MAX_VALUE / 4)).as("before the first and after the last: all there is").isEqualTo(8_000);
        assertThat(counts.rise("deliveries", 50_000, 99_000)).isZero();
    }
}
