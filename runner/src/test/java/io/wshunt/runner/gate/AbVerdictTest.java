package io.wshunt.runner.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import io.wshunt.runner.probe.CapacityProbe;
import picocli.CommandLine;

/** The A/B statistics and verdicts on recorded rounds (figures from real runs on a 2-core machine). */
class AbVerdictTest {
    private static final List<AbMetric> METRICS = AbMetric.of(List.of("ack", "idle"), Map.of("ack", 0.07), Map.of("ack", 0.04), 0.05);
    private static final String CPU = "ack.per_server_cpu_s";
    private static final String BYTES = "ack.bytes_per_unit";
    private static final String IDLE = "idle.bytes_per_connection";
    /** Base rounds of ack round trips per server CPU-second, server pinned to one CPU. */
    private static final List<Double> BASE_CPU = List.of(83e3, 96e3, 88e3, 87e3, 103e3, 107e3, 99e3, 90e3);
    /** Bytes allocated per round trip in the same rounds: within a percent of each other. */
    private static final List<Double> BASE_BYTES = List.of(2634.0, 2631.0, 2629.0, 2637.0, 2601.0, 2598.0, 2652.0, 2639.0);
    private static final List<Double> BASE_IDLE = List.of(3716.0, 3702.0, 3731.0, 3709.0, 3698.0, 3722.0, 3715.0, 3705.0);

    private static Map<Integer, Map<String, Double>> rounds(List<Double> cpu, List<Double> bytes, List<Double> idle) {
        Map<Integer, Map<String, Double>> rounds = new LinkedHashMap<>();
        for (int i = 0; i < cpu.size(); i++) {
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put(CPU, cpu.get(i));
            figures.put(BYTES, bytes.get(i));
            figures.put(IDLE, idle.get(i));
            rounds.put(i + 1, figures);
        }
        return rounds;
    }

    private static final Map<Integer, Map<String, Double>> BASE = rounds(BASE_CPU, BASE_BYTES, BASE_IDLE);

    private static List<Double> scaled(List<Double> values, double... factors) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(values.get(i) * factors[i % factors.length]);
        }
        return out;
    }

    @Test
    void identicalSamplesPassEveryMetric() {
        AbVerdict verdict = AbVerdict.judge(BASE, BASE, METRICS, false);

        assertThat(verdict.outcome()).isEqualTo(AbVerdict.Outcome.PASSED);
        assertThat(verdict.verdicts()).containsOnlyKeys(CPU, BYTES, IDLE);
        assertThat(verdict.statistics().get(CPU).mean()).isEqualTo(1.0);
    }

    @Test
    void aQuarterMoreCpuIsFoundAndNamed() {
        List<Double> slower = scaled(BASE_CPU, 0.78, 0.83, 0.80, 0.77, 0.82);

        AbVerdict verdict = AbVerdict.judge(BASE, rounds(slower, BASE_BYTES, BASE_IDLE), METRICS, false);

        assertThat(verdict.outcome()).isEqualTo(AbVerdict.Outcome.REGRESSION);
        assertThat(verdict.reasons()).containsExactly(CPU);
    }

    @Test
    void tenPercentMoreAllocationIsARegressionOfLowerIsBetterMetrics() {
        List<Double> fatter = scaled(BASE_BYTES, 1.10, 1.11, 1.09);
        List<Double> idleFatter = scaled(BASE_IDLE, 1.2);

        AbVerdict verdict = AbVerdict.judge(BASE, rounds(BASE_CPU, fatter, idleFatter), METRICS, false);

        assertThat(verdict.outcome()).isEqualTo(AbVerdict.Outcome.REGRESSION);
        assertThat(verdict.reasons()).containsExactly(BYTES, IDLE);
    }

    @Test
    void lessAllocationIsNoRegression() {
        AbVerdict verdict = AbVerdict.judge(BASE, rounds(BASE_CPU, scaled(BASE_BYTES, 0.8), BASE_IDLE), METRICS, false);

        assertThat(verdict.outcome()).isEqualTo(AbVerdict.Outcome.PASSED);
    }

    @Test
    void noiseAcrossTheLimitWaitsForMoreRoundsThenIsNamedInconclusive() {
        List<Double> near = scaled(BASE_CPU, 0.80, 1.02, 0.85, 0.97, 0.84, 0.99, 0.86, 0.95);
        Map<Integer, Map<String, Double>> candidate = rounds(near, BASE_BYTES, BASE_IDLE);

        assertThat(AbVerdict.judge(BASE, candidate, METRICS, false).outcome()).isEqualTo(AbVerdict.Outcome.UNDECIDED);
        AbVerdict last = AbVerdict.judge(BASE, candidate, METRICS, true);
        assertThat(last.outcome()).isEqualTo(AbVerdict.Outcome.INCONCLUSIVE);
        assertThat(last.reason()).startsWith(CPU).contains("across 0.93");
    }

    @Test
    void aRoundThatMeasuredNothingFailsInsteadOfPassing() {
        for (Double broken : new Double[] {0.0, Double.NaN}) {
            List<Double> bytes = new ArrayList<>(BASE_BYTES);
            bytes.set(2, broken);

            AbVerdict verdict = AbVerdict.judge(BASE, rounds(BASE_CPU, bytes, BASE_IDLE), METRICS, false);

            assertThat(verdict.outcome()).isEqualTo(AbVerdict.Outcome.NOT_MEASURED);
            assertThat(verdict.reason()).startsWith("could not measure " + BYTES);
        }
    }

    @Test
    void aMetricMeasuredOncePerForkWaitsForItsSecondSampleButFailsWithoutItAtTheEnd() {
        Map<Integer, Map<String, Double>> candidate = rounds(BASE_CPU, BASE_BYTES, BASE_IDLE);
        Map<Integer, Map<String, Double>> base = rounds(BASE_CPU, BASE_BYTES, BASE_IDLE);
        for (int round = 1; round < candidate.size(); round++) {
            candidate.get(round).remove(IDLE);
            base.get(round).remove(IDLE);
        }

        assertThat(AbVerdict.judge(base, candidate, METRICS, false).outcome()).isEqualTo(AbVerdict.Outcome.UNDECIDED);
        AbVerdict last = AbVerdict.judge(base, candidate, METRICS, true);
        assertThat(last.outcome()).isEqualTo(AbVerdict.Outcome.NOT_MEASURED);
        assertThat(last.reason()).contains(IDLE).contains("at least two");
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
        assertThat(statistics.mean()).isCloseTo(Math.exp(-0.1095), Offset.offset(0.001));
        assertThat(statistics.low()).isCloseTo(Math.exp(-0.1095 - 4.303 * 0.1116 / Math.sqrt(3)), Offset.offset(0.002));
    }

    @Test
    void variantsAndPathsAreCheckedBeforeAnyServerStarts() {
        for (String[] wrong : List.of(new String[] {"--variant", "x=ack.memory:10"}, new String[] {"--variant", "x=ack.cpu"},
                new String[] {"--paths", "ack,sideways"}, new String[] {"--inconclusive", "maybe"}, new String[] {"--round", "5"},
                new String[] {"--cpu-tolerance", "sideways=0.1"}, new String[] {"--alloc-tolerance", "ack=1.5"}, new String[] {"--in-turns", "ack,idle"},
                new String[] {"--pace", "connect=100"}, new String[] {"--pace", "ack=-1"})) {
            CommandLine command = new CommandLine(new AbCommand());
            command.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
            List<String> args = new ArrayList<>(List.of("--base-classpath", "a.jar", "--candidate-classpath", "b.jar", "--out", "/nonexistent/ab"));
            args.addAll(List.of(wrong));

            assertThat(command.execute(args.toArray(String[]::new))).as(String.join(" ", wrong)).isEqualTo(2);
        }
    }

    @Test
    void aVariantIsSizedFromTheBasesOwnFigures() {
        AbCommand command = new AbCommand();
        new CommandLine(command).parseArgs("--base-classpath", "a.jar", "--candidate-classpath", "b.jar",
                "--variant", "both=ack.cpu:10,idle.bytes:20", "--variant", "same=none");

        AbPlan plan = command.plan();

        assertThat(plan.variants()).extracting(AbPlan.Variant::name).containsExactly("both", "same");
        assertThat(plan.variants().get(0).injections()).containsExactly(new AbPlan.Injection("ack", "cpu", 10), new AbPlan.Injection("idle", "bytes", 20));
        assertThat(plan.variants().get(1).injections()).isEmpty();
        assertThat(plan.calibrationPhases()).containsExactly("ack");
        assertThat(plan.calibratesIdle()).isTrue();
        assertThat(plan.metrics()).extracting(AbMetric::name).containsExactly("ack.per_server_cpu_s", "ack.bytes_per_unit",
                "broadcast.per_server_cpu_s", "broadcast.bytes_per_unit", "connect.per_server_cpu_s", "connect.bytes_per_unit", "idle.bytes_per_connection");
    }

    @Test
    void everyPhaseIsLoadedTogetherByDefaultWithTheRoundTripPacedAndEitherCanBeChanged() {
        AbCommand byDefault = new AbCommand();
        new CommandLine(byDefault).parseArgs("--base-classpath", "a.jar", "--candidate-classpath", "b.jar");
        assertThat(byDefault.plan().inTurns()).isEmpty();
        assertThat(byDefault.plan().pace().acksPerSecond()).isPositive();

        AbCommand changed = new AbCommand();
        new CommandLine(changed).parseArgs("--base-classpath", "a.jar", "--candidate-classpath", "b.jar", "--in-turns", "ack", "--pace", "ack=0,broadcast=50");
        assertThat(changed.plan().inTurns()).containsExactly("ack");
        assertThat(changed.plan().pace()).isEqualTo(new CapacityProbe.Pace(0, 50));
        assertThat(changed.plan().pace().offered("broadcast", 200)).isEqualTo(10_000);
    }

    @Test
    void aToleranceGivenForOnePathLeavesTheOthersAtTheirDefaults() {
        AbCommand command = new AbCommand();
        new CommandLine(command).parseArgs("--base-classpath", "a.jar", "--candidate-classpath", "b.jar", "--paths", "ack,broadcast",
                "--cpu-tolerance", "broadcast=0.2", "--alloc-tolerance", "ack=0.01");

        Map<String, Double> limits = new LinkedHashMap<>();
        command.plan().metrics().forEach(metric -> limits.put(metric.name(), metric.limit()));

        assertThat(limits.get("broadcast.per_server_cpu_s")).isCloseTo(0.8, Offset.offset(1e-9));
        assertThat(limits.get("ack.bytes_per_unit")).isCloseTo(1.01, Offset.offset(1e-9));
        assertThat(limits.get("ack.per_server_cpu_s")).isCloseTo(1 - defaultOf(AbCommand.CPU_TOLERANCES, "ack"), Offset.offset(1e-9));
        assertThat(limits.get("broadcast.bytes_per_unit")).isCloseTo(1 + defaultOf(AbCommand.ALLOC_TOLERANCES, "broadcast"), Offset.offset(1e-9));
    }

    private static double defaultOf(String tolerances, String path) {
        for (String item : tolerances.split(",")) {
            if (item.startsWith(path + "=")) return Double.parseDouble(item.substring(path.length() + 1));
        }
        throw new AssertionError(path + " has no default in " + tolerances);
    }
}
