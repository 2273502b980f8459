package io.wshunt.runner.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The A/B statistics and verdicts on recorded rounds (figures from a real run on a 2-core machine). */
class AbGateTest {
    private static final String METRIC = "ack.per_server_cpu_s";
    /** Base rounds of ack.per_server_cpu_s from runs/prove-try4, server pinned to one CPU. */
    private static final List<Double> BASE = List.of(83e3, 96e3, 88e3, 87e3, 103e3, 107e3, 99e3, 90e3);

    private static Map<Integer, Map<String, Double>> rounds(List<Double> values) {
        Map<Integer, Map<String, Double>> rounds = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            rounds.put(i + 1, values.get(i) == null ? Map.of() : Map.of(METRIC, values.get(i)));
        }
        return rounds;
    }

    private static AbGate.Judgement judge(List<Double> candidate, boolean last) {
        return AbGate.judge(rounds(BASE), rounds(candidate), List.of(METRIC), 0.10, last);
    }

    @Test
    void identicalSamplesPass() {
        AbGate.Judgement judgement = judge(BASE, false);

        assertThat(judgement.outcome()).isEqualTo(AbGate.Outcome.PASSED);
        assertThat(judgement.statistics().get(METRIC).mean()).isEqualTo(1.0);
    }

    @Test
    void aQuarterMoreCostIsFoundAndNamed() {
        // The same rounds with a fifth fewer units per CPU-second, with noise of a few percent each.
        List<Double> slower = List.of(83e3 * 0.78, 96e3 * 0.83, 88e3 * 0.80, 87e3 * 0.77, 103e3 * 0.82, 107e3 * 0.79, 99e3 * 0.81, 90e3 * 0.80);

        AbGate.Judgement judgement = judge(slower, false);

        assertThat(judgement.outcome()).isEqualTo(AbGate.Outcome.REGRESSION);
        assertThat(judgement.reason()).isEqualTo(METRIC);
        assertThat(judgement.statistics().get(METRIC).high()).isLessThan(0.9);
    }

    @Test
    void noiseAroundTheLimitWaitsForMoreRoundsAndIsJudgedOnTheLastOne() {
        List<Double> near = List.of(83e3 * 0.80, 96e3 * 1.02, 88e3 * 0.85, 87e3 * 0.97, 103e3 * 0.84, 107e3 * 0.99, 99e3 * 0.86, 90e3 * 0.95);

        assertThat(judge(near, false).outcome()).isEqualTo(AbGate.Outcome.UNDECIDED);
        assertThat(judge(near, true).outcome()).as("mean 0.91 is within the tolerance").isEqualTo(AbGate.Outcome.PASSED);
    }

    @Test
    void aRoundThatMeasuredNothingFailsInsteadOfPassing() {
        List<Double> withZero = new java.util.ArrayList<>(BASE);
        withZero.set(2, 0.0);
        List<Double> withNaN = new java.util.ArrayList<>(BASE);
        withNaN.set(5, Double.NaN);
        List<Double> withMissing = new java.util.ArrayList<>(BASE);
        withMissing.set(0, null);

        for (List<Double> broken : List.of(withZero, withNaN, withMissing)) {
            AbGate.Judgement judgement = judge(broken, true);
            assertThat(judgement.outcome()).isEqualTo(AbGate.Outcome.NOT_MEASURED);
            assertThat(judgement.reason()).startsWith("could not measure " + METRIC);
        }
    }

    @Test
    void oneRoundIsTooFewForAnInterval() {
        assertThat(AbStatistics.unmeasurable(List.of(1.0), List.of(1.0))).hasValueSatisfying(reason -> assertThat(reason).contains("at least two"));
        assertThatThrownBy(() -> AbStatistics.of(List.of(1.0), List.of(1.0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIntervalComesFromStudentsTOnLogRatios() {
        AbStatistics statistics = AbStatistics.of(List.of(100.0, 100.0, 100.0), List.of(80.0, 90.0, 100.0));

        // log ratios -0.2231, -0.1054, 0: mean -0.1095, sd 0.1116, t(2) 4.303
        assertThat(statistics.mean()).isCloseTo(Math.exp(-0.1095), org.assertj.core.data.Offset.offset(0.001));
        assertThat(statistics.low()).isCloseTo(Math.exp(-0.1095 - 4.303 * 0.1116 / Math.sqrt(3)), org.assertj.core.data.Offset.offset(0.002));
    }

    @Test
    void anUnknownOptionIsRejectedBeforeAnyServerStarts() {
        CommandLine command = new CommandLine(new AbGate());
        command.setErr(new java.io.PrintWriter(new java.io.StringWriter()));

        int exit = command.execute("--base-classpath", "a.jar", "--candidate-classpath", "b.jar", "--round", "5");

        assertThat(exit).isEqualTo(2);
    }
}
