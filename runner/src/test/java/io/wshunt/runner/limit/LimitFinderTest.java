package io.wshunt.runner.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/**
 * The finder's search over ladders whose steps follow a given shape: what it offers, where it
 * stops, what it names. The real ladders (Endurance runs against real servers) are in
 * {@code LimitFinderRunTest}.
 */
class LimitFinderTest {
    private static final Slo SLO = new Slo(1_000, Slo.MIN_ACHIEVED_SHARE);

    /** Ladders of a server that holds up to {@code knee}/s and gets no more done above it, the servers' CPU full there. */
    private static class Shaped implements LimitFinder.Ladders {
        final List<List<Integer>> offered = new ArrayList<>();
        final IntFunction<Step> shape;

        Shaped(IntFunction<Step> shape) {
            this.shape = shape;
        }

        @Override
        public LimitFinder.LadderRun run(String name, List<Integer> rates) {
            offered.add(rates);
            return new LimitFinder.LadderRun(rates.stream().map(shape::apply).toList(), Map.of("name", name));
        }
    }

    private static IntFunction<Step> kneeAt(int knee) {
        return rate -> new Step(rate, rate * 5L, Math.min(rate, knee) * 5L, 0, 20, 5, rate > knee ? 180 : 60, 15, Double.NaN, Map.of(), false);
    }

    private static LimitFinder.ServerPath path(double ceiling) {
        return new LimitFinder.ServerPath("ack", "acked msg/s", SLO, ceiling, 2);
    }

    @Test
    void coarseStepsToTheCeilingThenFinerOnesBetweenWhatHeldAndWhatBroke() throws Exception {
        Shaped ladders = new Shaped(kneeAt(30_000));

        Map<String, Object> capacity = LimitFinder.find(path(60_000), ladders, Duration.ofMinutes(20));

        assertThat(ladders.offered.get(0)).as("a warm-up at half the first rate, then shares of the ceiling")
                .containsExactly(1_500, 3_000, 6_000, 9_000, 15_000, 24_000, 36_000, 48_000, 60_000);
        assertThat(ladders.offered.get(1)).as("a warm-up at half what held, then three between 24,000 and 36,000")
                .containsExactly(12_000, 27_000, 30_000, 33_000);
        assertThat(capacity).containsEntry("highest_held_per_s", 30_000L).containsEntry("first_broken_per_s", 33_000L)
                .containsEntry("limited_by", "server_cpu").containsEntry("ceiling_per_s", 60_000L);
        assertThat((List<?>) capacity.get("steps")).hasSize(13);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStepThatWasLateOnceWhileHigherStepsOfItsLadderHeldIsADipNotTheKnee() throws Exception {
        IntFunction<Step> knee = kneeAt(30_000);
        // 6,000/s achieved 90% of the offer for one step: 9,000-24,000 held after it.
        Shaped ladders = new Shaped(rate -> rate == 6_000 ? new Step(rate, rate * 5L, rate * 9 / 2L, 0, 20, 5, 60, 15, Double.NaN, Map.of(), false)
                : knee.apply(rate));

        Map<String, Object> capacity = LimitFinder.find(path(60_000), ladders, Duration.ofMinutes(20));

        assertThat(capacity).containsEntry("highest_held_per_s", 30_000L).containsEntry("first_broken_per_s", 33_000L);
        assertThat(ladders.offered.get(1)).containsExactly(12_000, 27_000, 30_000, 33_000);
        assertThat((List<String>) capacity.get("notes")).anySatisfy(note -> assertThat(note).startsWith("a dip, not the knee: 6,000/s broke (achieved 5,400/s"));
    }

    @Test
    void aStepThatLostAnythingIsTheKneeWhateverHeldAboveIt() throws Exception {
        IntFunction<Step> knee = kneeAt(30_000);
        Shaped ladders = new Shaped(rate -> rate == 6_000 ? new Step(rate, rate * 5L, rate * 5L - 1, 1, 20, 5, 60, 15, Double.NaN, Map.of(), false)
                : knee.apply(rate));

        Map<String, Object> capacity = LimitFinder.find(path(60_000), ladders, Duration.ofMinutes(20));

        assertThat(capacity).containsEntry("first_broken_per_s", 6_000L);
        assertThat((Long) capacity.get("highest_held_per_s")).isLessThan(6_000L);
    }

    @Test
    void eachLaddersFirstStepWarmsAFreshInjectorAndIsNeverJudged() throws Exception {
        Shaped ladders = new Shaped(kneeAt(30_000)) {
            @Override
            public LimitFinder.LadderRun run(String name, List<Integer> rates) {
                LimitFinder.LadderRun run = super.run(name, rates);
                List<Step> steps = new ArrayList<>(run.steps());
                Step cold = steps.get(0);
                // A fresh JVM's first seconds: slow, whatever the rate.
                steps.set(0, new Step(cold.offeredPerS(), cold.sent(), cold.ok(), 0, 5_000, cold.seconds(), 60, 190, Double.NaN, Map.of(), false));
                return new LimitFinder.LadderRun(steps, run.run());
            }
        };

        Map<String, Object> capacity = LimitFinder.find(path(60_000), ladders, Duration.ofMinutes(20));

        assertThat(capacity).containsEntry("highest_held_per_s", 30_000L).containsEntry("first_broken_per_s", 33_000L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) capacity.get("steps");
        assertThat(steps).filteredOn(step -> Boolean.TRUE.equals(step.get("warm_up"))).extracting(step -> step.get("offered_per_s"))
                .containsExactly(1_500L, 12_000L);
        assertThat(steps).filteredOn(step -> step.get("held") == null).hasSize(2);
    }

    @Test
    void theFinerLadderIsLeftOutWhenTheBudgetIsSpentAndTheNoteSaysSo() throws Exception {
        Shaped ladders = new Shaped(kneeAt(30_000));

        Map<String, Object> capacity = LimitFinder.find(path(60_000), ladders, Duration.ZERO);

        assertThat(ladders.offered).hasSize(1);
        assertThat(capacity).containsEntry("highest_held_per_s", 24_000L).containsEntry("first_broken_per_s", 36_000L);
        assertThat((List<?>) capacity.get("notes")).anySatisfy(note -> assertThat(note.toString()).contains("finer steps were left out"));
    }

    @Test
    void noFinerStepRunsBelowAFirstRungThatBrokeOnTheFanOutWhichNoLowerRateTakesAway() throws Exception {
        // Every rate delivered in full, each broadcast 3 s from the servers having it to the last user.
        Shaped ladders = new Shaped(rate -> new Step(rate, rate * 5L, rate * 5L, 0, 3_500, 5, 40, 70, 115, Double.NaN, Map.of(), false, Map.of(), 3_000, 1));

        Map<String, Object> capacity = LimitFinder.find(path(60_000).from(10_000), ladders, Duration.ofMinutes(20));

        assertThat(ladders.offered).as("the coarse ladder only").hasSize(1);
        assertThat(capacity).containsEntry("highest_held_per_s", null).containsEntry("first_broken_per_s", 10_000L).containsEntry("limited_by", "fan_out");
        assertThat((List<?>) capacity.get("notes")).anySatisfy(note -> assertThat(note.toString())
                .contains("finer steps below 10,000/s were left out").contains("fan_out breaks the SLO at any rate"));
    }

    @Test
    void nothingHeldForAnotherCauseTriesTheRatesBelowTheFirstRung() throws Exception {
        Shaped ladders = new Shaped(kneeAt(5_000));

        Map<String, Object> capacity = LimitFinder.find(path(60_000).from(10_000), ladders, Duration.ofMinutes(20));

        assertThat(ladders.offered.get(1)).as("a warm-up, then three below the first rung that broke").containsExactly(1_250, 2_500, 5_000, 7_500);
        assertThat(capacity).containsEntry("highest_held_per_s", 5_000L).containsEntry("first_broken_per_s", 7_500L);
    }

    @Test
    void noCoarseRungLiesBelowThePathsLowestJudgedRate() throws Exception {
        Shaped ladders = new Shaped(kneeAt(30_000));

        LimitFinder.find(path(60_000).from(10_000), ladders, Duration.ofMinutes(20));

        assertThat(ladders.offered.get(0)).as("5%%, 10%% and 15%% of the ceiling raised to 10,000, once; the warm-up below it")
                .containsExactly(5_000, 10_000, 15_000, 24_000, 36_000, 48_000, 60_000);
    }

    @Test
    void aLadderThatNeverBreaksSaysTheLimitWasNotReached() throws Exception {
        Map<String, Object> capacity = LimitFinder.find(path(60_000), new Shaped(kneeAt(Integer.MAX_VALUE)), Duration.ofMinutes(20));

        assertThat(capacity).containsEntry("limited_by", "not_reached").containsEntry("first_broken_per_s", null)
                .containsEntry("highest_held_per_s", 60_000L).containsEntry("ceiling_per_s", 60_000L);
    }

    @Test
    void withoutACeilingTheDoublingGoesOnUntilAStepBreaksThenFinerStepsFindTheKnee() throws Exception {
        Shaped ladders = new Shaped(kneeAt(300_000));

        Map<String, Object> capacity = LimitFinder.find(path(Double.NaN), ladders, Duration.ofMinutes(20));

        assertThat(ladders.offered.get(0)).as("doubling from 1,000").endsWith(64_000, 128_000);
        assertThat(ladders.offered.get(1)).as("more doubling above the top that held").containsExactly(128_000, 256_000, 512_000, 1_024_000, 2_048_000);
        assertThat(ladders.offered.get(2)).as("finer steps between 256,000 and 512,000").containsExactly(128_000, 320_000, 384_000, 448_000);
        assertThat(capacity).containsEntry("highest_held_per_s", 256_000L).containsEntry("first_broken_per_s", 320_000L).containsEntry("ceiling_per_s", null);
    }

    @Test
    void withoutACeilingALadderThatNeverBreaksStopsAfterItsHigherLaddersAndSaysTheLimitWasNotReached() throws Exception {
        Shaped ladders = new Shaped(kneeAt(Integer.MAX_VALUE));

        Map<String, Object> capacity = LimitFinder.find(path(Double.NaN), ladders, Duration.ofMinutes(20));

        assertThat(ladders.offered).hasSize(1 + LimitFinder.HIGHER_LADDERS);
        assertThat(capacity).containsEntry("limited_by", "not_reached").containsEntry("first_broken_per_s", null)
                .containsEntry("highest_held_per_s", 128_000L << 4 * LimitFinder.HIGHER_LADDERS);
    }

    @Test
    void aStepBreaksOnLossOnItsP99AndOnAchievingLessThanOffered() {
        assertThat(new Step(1_000, 5_000, 5_000, 0, 20, 5, 50, 50, Double.NaN, Map.of(), false).breaks(SLO)).isEmpty();
        assertThat(new Step(1_000, 5_000, 4_999, 1, 20, 5, 50, 50, Double.NaN, Map.of(), false).breaks(SLO)).containsExactly("1 failed or lost");
        assertThat(new Step(1_000, 5_000, 5_000, 0, 1_001, 5, 50, 50, Double.NaN, Map.of(), false).breaks(SLO)).containsExactly("p99 1,001 ms over the SLO's 1,000 ms");
        assertThat(new Step(1_000, 5_000, 4_700, 0, 20, 5, 50, 50, Double.NaN, Map.of(), false).breaks(SLO))
                .containsExactly("achieved 940/s, below 95% of the 1,000/s offered");
    }

    @Test
    void aFewPerSecondMissedByOneAtTheWindowsEdgeStillHoldButMissedByTwoBreak() {
        assertThat(new Step(1, 1, 1, 0, 20, 1.5, 50, 50, Double.NaN, Map.of(), false).breaks(SLO)).isEmpty();
        assertThat(new Step(4, 8, 7, 0, 20, 2, 50, 50, Double.NaN, Map.of(), false).breaks(SLO)).isEmpty();
        assertThat(new Step(4, 8, 6, 0, 20, 2, 50, 50, Double.NaN, Map.of(), false).breaks(SLO)).containsExactly("achieved 3/s, below 95% of the 4/s offered");
    }

    @Test
    void aChatRungMissedByOneBroadcastAtTheWindowsEdgeStillHoldsButMissedByTwoBreaks() {
        // 1,000 deliveries/s to 200 users: five broadcasts a second, 2,000 deliveries over the judged 2 s.
        assertThat(chatRung(1_800, 200).breaks(SLO)).isEmpty();
        assertThat(chatRung(1_600, 200).breaks(SLO)).containsExactly("achieved 800/s, below 95% of the 1,000/s offered");
        assertThat(chatRung(1_800, 1).breaks(SLO)).as("counted one delivery at a time, one broadcast short breaks").hasSize(1);
    }

    private static Step chatRung(long delivered, long deliveriesPerBroadcast) {
        return new Step(1_000, 10, delivered, 0, 20, 2, 50, 50, 100, 0, Map.of(), false, Map.of(), 10, deliveriesPerBroadcast);
    }

    @Test
    void theCauseIsALimitNamedInTheErrorsThenRedisAtItsLimitThenTheSaturatedCpuThenTheSlo() {
        List<String> broke = List.of("achieved 900/s, below 95% of the 1,000/s offered");
        Step limit = new Step(1_000, 5_000, 4_500, 9, 20, 5, 190, 10, Double.NaN, Map.of("i.n.c.AbstractChannel$AnnotatedConnectException: Cannot assign requested address", 9L), false);
        assertThat(Bottleneck.of(limit, 2, broke).limitedBy()).isEqualTo("kernel_limit");
        assertThat(Bottleneck.of(limit, 2, broke).why()).contains("ephemeral ports", "9 errors");

        assertThat(Bottleneck.of(new Step(1_000, 5_000, 4_500, 0, 20, 5, 150, 30, Double.NaN, Map.of(), false), 2, broke).limitedBy()).isEqualTo("server_cpu");
        assertThat(Bottleneck.of(new Step(1_000, 5_000, 4_500, 0, 20, 5, 40, 140, Double.NaN, Map.of(), false), 2, broke).limitedBy()).isEqualTo("injector_cpu");
        assertThat(Bottleneck.of(new Step(1_000, 5_000, 4_500, 0, 20, 5, 90, 95, Double.NaN, Map.of(), false), 2, broke).limitedBy()).isEqualTo("machine_cpu");
        Step busyRedis = new Step(1_000, 5_000, 4_500, 0, 20, 5, 60, 70, 150, 96, Map.of(), false, Map.of(), Double.NaN, 1);
        assertThat(Bottleneck.of(busyRedis, 2, broke).limitedBy()).as("Redis's one thread at its limit, the machine not").isEqualTo("redis");
        assertThat(Bottleneck.of(busyRedis, 2, broke).why()).contains("Redis took 96% of a core");
        Step redisToSpare = new Step(1_000, 5_000, 4_500, 0, 20, 5, 90, 40, 190, 40, Map.of(), false, Map.of(), Double.NaN, 1);
        assertThat(Bottleneck.of(redisToSpare, 2, broke).why()).as("Redis named in the machine's CPU").contains("Redis 40%, the rest 20%");
        Step busyMachine = new Step(1_000, 5_000, 4_500, 0, 20, 5, 60, 70, 190, Map.of(), false);
        assertThat(Bottleneck.of(busyMachine, 2, broke).limitedBy()).as("the kernel's loopback work and Redis count too").isEqualTo("machine_cpu");
        assertThat(Bottleneck.of(busyMachine, 2, broke).why()).contains("95% busy", "the rest 60%");
        Bottleneck slo = Bottleneck.of(new Step(1_000, 5_000, 4_500, 0, 20, 5, 40, 30, Double.NaN, Map.of(), false), 2, broke);
        assertThat(slo.limitedBy()).isEqualTo("slo");
        assertThat(slo.why()).contains("with CPU to spare");
    }

    @Test
    void aP99ThatBrokeIsTheFanOutsWhenABroadcastTookAtLeastHalfOfItToReachEveryUser() {
        List<String> late = List.of("p99 2,000 ms over the SLO's 1,000 ms");
        Step longPass = chatStep(2_000, 1_100);
        assertThat(Bottleneck.of(longPass, 2, late).limitedBy()).isEqualTo("fan_out");
        assertThat(Bottleneck.of(longPass, 2, late).why()).contains("1,100 ms on average", "with CPU to spare");
        assertThat(Bottleneck.of(chatStep(2_000, 900), 2, late).limitedBy()).as("the pass explains less than half the p99").isEqualTo("slo");
        assertThat(Bottleneck.of(chatStep(2_000, Double.NaN), 2, late).limitedBy()).as("servers that do not time their fan-out").isEqualTo("slo");
        assertThat(Bottleneck.of(longPass, 2, List.of("achieved 900/s, below 95% of the 1,000/s offered")).limitedBy())
                .as("a step that broke on its rate, not its p99").isEqualTo("slo");
        Step saturated = new Step(50_000, 5, 250_000, 0, 2_000, 5, 90, 100, 198, 0, Map.of(), false, Map.of(), 1_100, 1);
        assertThat(Bottleneck.of(saturated, 2, late).limitedBy()).as("a saturated machine comes first").isEqualTo("machine_cpu");
        assertThat(Bottleneck.of(saturated, 2, late).why()).as("with the fan-out beside it").contains("took the servers 1,100 ms");
    }

    /** A chat step on a machine with CPU to spare that broke on its p99, its broadcasts fanning out in {@code fanOutMillis}. */
    private static Step chatStep(long p99Millis, double fanOutMillis) {
        return new Step(50_000, 5, 250_000, 0, p99Millis, 5, 60, 70, 150, 0, Map.of(), false, Map.of(), fanOutMillis, 1);
    }

    @Test
    void aPathThatCouldNotBeMeasuredFailsTheRun() {
        Map<String, Object> capacity = Map.of("ack", LimitFinder.notMeasured(new IllegalStateException("the ladder sent nothing")));

        assertThat(LimitFinder.allMeasured(capacity)).isFalse();
        assertThat(LimitFinder.allMeasured(Map.of("ack", Map.of("limited_by", "slo")))).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBusiestStepSaysWhatAUnitCostEachSideAndWhatEachWouldTakeAlone() throws Exception {
        // Achieves what it is offered up to 30,000/s and less above; there the servers take 60% of a core, the injectors 150%.
        Shaped ladders = new Shaped(rate -> new Step(rate, rate * 5L, (rate <= 30_000 ? rate : 60_000 - rate) * 5L, 0, 20, 5,
                rate * 60.0 / 30_000, rate * 150.0 / 30_000, Double.NaN, Map.of(), false));

        Map<String, Object> capacity = LimitFinder.find(path(60_000), ladders, Duration.ofMinutes(20));

        assertThat((Map<String, Object>) capacity.get("cost")).as("20 and 50 µs a unit; 2 cores = 2,000,000 µs a second")
                .containsEntry("at_per_s", 30_000L)
                .containsEntry("server_cpu_us_per_unit", 20.0).containsEntry("injector_cpu_us_per_unit", 50.0)
                .containsEntry("servers_alone_per_s", 100_000L).containsEntry("injectors_alone_per_s", 40_000L)
                .containsEntry("both_at_most_per_s", 28_571L);
        assertThat(LimitFinder.table(Map.of("ack", capacity)))
                .contains("one unit cost the servers 20.0 µs and the injectors 50.0 µs of CPU")
                .contains("the servers would take 100,000 acked msg/s, the injectors drive 40,000 acked msg/s, and both together at most 28,571 acked msg/s");
    }

    @Test
    void noCostWithoutTheCpuOfEitherSide() throws Exception {
        Shaped ladders = new Shaped(rate -> new Step(rate, rate * 5L, Math.min(rate, 30_000) * 5L, 0, 20, 5,
                Double.NaN, Double.NaN, Double.NaN, Map.of(), false));

        assertThat(LimitFinder.find(path(60_000), ladders, Duration.ofMinutes(20))).doesNotContainKey("cost");
    }
}
