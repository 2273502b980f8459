package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.wshunt.runner.limit.Step;
import org.junit.jupiter.api.Test;

/**
 * Ladders' steps on real logs of a small ChatBroadcast run by Gatling 3.15.1, one per injector (their
 * connects stand in for a ladder's sends): a fire ladder beside servers' counts that rise 1,000 a
 * second for 3 s and then stop, and drop 5 deliveries in the third second; steps of 1 s.
 */
class StepLogTest {
    @Test
    void whatArrivedIsTheServersCountOverEachStepsSecondHalfAndNothingPastTheirReadings() throws Exception {
        Path log = Path.of(StepLogTest.class.getResource("/logs/chatbroadcast-shard-2.log").toURI());
        long runStart;
        try (SimulationLog in = new SimulationLog(log)) {
            runStart = in.header().start();
        }
        ServerCounts arrivals = new ServerCounts();
        for (int second = 0; second <= 10; second++) {
            arrivals.add(runStart + second * 1_000L, Map.of("benchmark_messages", Math.min(3, second) * 1_000L, "deliveries_dropped", second < 3 ? 0L : 5L));
        }

        List<Step> steps = StepLog.read(List.of(log), new StepLog.Reading("connect", false, 0.5, "benchmark_messages", "deliveries_dropped", null), arrivals,
                List.of(10, 20, 40, 80, 160, 320, 640), 1, new ProcessSampler(), FlightRecordings.NONE, 1);

        assertThat(steps).hasSize(7);
        Step first = steps.get(0);
        assertThat(first.ok()).as("half a second of 1,000/s").isEqualTo(500);
        assertThat(first.achievedPerS()).isEqualTo(1_000);
        assertThat(steps.stream().mapToLong(Step::sent).sum()).as("the sends of the judged halves, from the log").isPositive();
        assertThat(first.p99Millis()).as("fire-and-forget has no latency").isEqualTo(Step.NOT_COUNTED);
        assertThat(first.serverCpuPercent()).as("no CPU sampled").isNaN();
        assertThat(steps.get(6).ok()).as("once the count stops, nothing arrives").isZero();
        assertThat(steps.get(6).breaks(io.wshunt.runner.limit.Slo.withoutLatency())).anyMatch(reason -> reason.startsWith("achieved 0/s"));
        assertThat(steps.stream().mapToLong(Step::failed).sum()).as("the 5 deliveries the servers dropped, in the steps they fell in").isEqualTo(5);
    }

    @Test
    void eachInjectorsStepsStartAtItsOwnFirstSendAndAreSummed() throws Exception {
        Path one = Path.of(StepLogTest.class.getResource("/logs/chatbroadcast-shard-1.log").toURI());
        Path two = Path.of(StepLogTest.class.getResource("/logs/chatbroadcast-shard-2.log").toURI());
        List<Integer> rates = List.of(10, 20, 40);

        StepLog.Reading connects = StepLog.Reading.CONNECTS;
        List<Step> both = StepLog.read(List.of(one, two), connects, new ServerCounts(), rates, 1, new ProcessSampler(), FlightRecordings.NONE, 1);
        List<Step> first = StepLog.read(List.of(one), connects, new ServerCounts(), rates, 1, new ProcessSampler(), FlightRecordings.NONE, 1);
        List<Step> second = StepLog.read(List.of(two), connects, new ServerCounts(), rates, 1, new ProcessSampler(), FlightRecordings.NONE, 1);

        for (int k = 0; k < rates.size(); k++) {
            assertThat(both.get(k).sent()).as("step %d", k).isEqualTo(first.get(k).sent() + second.get(k).sent());
            assertThat(both.get(k).ok()).as("step %d", k).isEqualTo(first.get(k).ok() + second.get(k).ok());
        }
        assertThat(both.stream().mapToLong(Step::sent).sum()).as("connects over the three whole steps").isPositive();
    }
}
