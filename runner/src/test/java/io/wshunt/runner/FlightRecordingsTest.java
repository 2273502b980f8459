package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real flight recording of this JVM while one method burns CPU: that method comes out on top, in its window only. */
class FlightRecordingsTest {
    @TempDir
    Path dir;

    private static volatile double sink;

    @Test
    void theMethodThatTookTheCpuIsTheHottestInItsWindow() throws Exception {
        long pid = ProcessHandle.current().pid();
        long from;
        long to;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            from = System.currentTimeMillis();
            burnForAWhile();
            to = System.currentTimeMillis();
            recording.stop();
            recording.dump(dir.resolve("hotspot-pid-" + pid + "-id-1-test.jfr"));
        }

        FlightRecordings flight = FlightRecordings.read(dir, Map.of("this-jvm", pid, "gone", -1L));

        Map<String, List<String>> hottest = flight.hottest(from, to + 1);
        assertThat(hottest).as("a process without a recording is left out").containsOnlyKeys("this-jvm");
        assertThat(hottest.get("this-jvm").get(0)).as("how many samples the shares are of").matches("\\d+ samples");
        assertThat(hottest.get("this-jvm").get(1)).endsWith(FlightRecordingsTest.class.getName() + ".burnForAWhile").matches("\\d+% .*");
        assertThat(flight.hottest(to + 60_000, to + 120_000)).as("nothing sampled a minute later").isEmpty();
    }

    private static void burnForAWhile() {
        long until = System.nanoTime() + 1_500_000_000L;
        double x = 0;
        while (System.nanoTime() < until) {
            for (int i = 1; i < 10_000; i++) x += Math.sqrt(i) / i;
        }
        sink = x;
    }
}
