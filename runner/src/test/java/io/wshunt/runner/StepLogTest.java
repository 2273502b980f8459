package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import io.wshunt.runner.limit.Step;
import org.junit.jupiter.api.Test;

/**
 * A fire ladder's steps on a real log of a small ChatBroadcast run by Gatling 3.15.1 (its chat
 * sends stand in for fire sends), beside servers' counts that rise 1,000 a second for 3 s and then stop; steps of 1 s.
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
        for (int second = 0; second <= 3; second++) {
            arrivals.add(runStart + second * 1_000L, second * 1_000L);
        }

        List<Step> steps = StepLog.readArrivals(log, "connect", arrivals, List.of(10, 20, 40, 80, 160, 320, 640), 1, new ProcessSampler());

        assertThat(steps).hasSize(7);
        Step first = steps.get(0);
        assertThat(first.ok()).as("half a second of 1,000/s").isEqualTo(500);
        assertThat(first.achievedPerS()).isEqualTo(1_000);
        assertThat(steps.stream().mapToLong(Step::sent).sum()).as("the sends of the judged halves, from the log").isPositive();
        assertThat(first.p99Millis()).as("fire-and-forget has no latency").isEqualTo(Step.NOT_COUNTED);
        assertThat(first.serverCpuPercent()).as("no CPU sampled").isNaN();
        assertThat(steps.get(6).ok()).as("past the servers' last reading nothing counts as arrived").isZero();
        assertThat(steps.get(6).breaks(io.wshunt.runner.limit.Slo.withoutLatency())).anyMatch(reason -> reason.startsWith("achieved 0/s"));
    }
}
