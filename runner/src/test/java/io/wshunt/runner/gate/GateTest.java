package io.wshunt.runner.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A summary.json as the suite runner writes it, with the figures the gate reads. */
    private static JsonNode summary(double rate, double perCpu, long lost, long ko, long ackP99) throws Exception {
        return JSON.readTree("""
                {"users": 1000, "machine": {"os": "Linux"}, "settings": {"mode": "fire"},
                 "simulations": [{"simulation": "MessageThroughput", "connect_rate_per_s": 250, "connect_share_of_offered": 1.0, "users_failed": 0, "lost": %d,
                   "benchmark": {"sent": 20000, "server_rate_per_s": %s, "server_msgs_per_cpu_s": %s},
                   "chat": {"sent": 0},
                   "requests": {"ack": {"ok": 20000, "ko": %d, "p50_ms": 3, "p95_ms": 40, "p99_ms": %d},
                                "connect": {"ok": 1000, "ko": 0}}}]}
                """.formatted(lost, rate, perCpu, ko, ackP99));
    }

    private Path baseline() throws Exception {
        Path file = dir.resolve("results/test-profile.json");
        Baseline.update(file, List.of(summary(20_000, 40_000, 0, 0, 100)), "test-profile");
        return file;
    }

    @Test
    void anIdenticalRunPasses() throws Exception {
        Comparison comparison = Comparison.of(Baseline.read(baseline()), Figures.of(summary(20_000, 40_000, 0, 0, 100)));
        assertThat(comparison.passes()).isTrue();
        assertThat(comparison.table()).contains("Gate: passed");
    }

    @Test
    void aQuarterLessThroughputFailsAndNamesTheMetric() throws Exception {
        Comparison comparison = Comparison.of(Baseline.read(baseline()), Figures.of(summary(15_000, 30_000, 0, 0, 100)));

        assertThat(comparison.passes()).isFalse();
        assertThat(comparison.regressions()).containsExactlyInAnyOrder(
                "MessageThroughput.server_msgs_per_s", "MessageThroughput.server_msgs_per_cpu_s");
        assertThat(comparison.table()).contains("-25.0%", "REGRESSION");
        assertThat(comparison.markdown("wshunt")).contains("| `MessageThroughput.server_msgs_per_s` | 20,000 | 15,000 | -25.0% |", "**REGRESSION**");
    }

    @Test
    void lossAndErrorsAreJudgedAbsolutelyBecauseABaselineOfZeroIsNoRatio() throws Exception {
        Comparison comparison = Comparison.of(Baseline.read(baseline()), Figures.of(summary(20_000, 40_000, 1, 50, 100)));
        assertThat(comparison.regressions()).containsExactlyInAnyOrder("MessageThroughput.lost", "MessageThroughput.error_percent");
    }

    @Test
    void latencyMayRiseWithinItsToleranceOnly() throws Exception {
        List<Metric> metrics = Baseline.read(baseline());
        assertThat(Comparison.of(metrics, Figures.of(summary(20_000, 40_000, 0, 0, 140))).passes()).isTrue();
        assertThat(Comparison.of(metrics, Figures.of(summary(20_000, 40_000, 0, 0, 300))).regressions())
                .containsExactly("MessageThroughput.ack_p99_ms");
    }

    @Test
    void updatingABaselineKeepsTheTolerancesChosenForIt() throws Exception {
        Path file = baseline();
        String tightened = Files.readString(file).replace("\"tolerance\" : 0.2", "\"tolerance\" : 0.05");
        Files.writeString(file, tightened);

        Baseline.update(file, List.of(summary(22_000, 41_000, 0, 0, 90)), "test-profile");

        Metric rate = Baseline.read(file).stream().filter(m -> m.name().equals("server_msgs_per_s")).findFirst().orElseThrow();
        assertThat(rate.baseline()).isEqualTo(22_000);
        assertThat(rate.tolerance()).isEqualTo(0.05);
    }

    @Test
    void aLatencyOfMinusOneWasNotMeasuredAndFailsInsteadOfPassingAsLow() throws Exception {
        Comparison comparison = Comparison.of(Baseline.read(baseline()), Figures.of(summary(20_000, 40_000, 0, 0, -1)));

        assertThat(comparison.regressions()).containsExactly("MessageThroughput.ack_p99_ms");
        assertThat(comparison.table()).contains("not measured", "NOT MEASURED");
    }

    @Test
    void aBaselineFromSeveralRunsHoldsTheirMedianAndRange() throws Exception {
        Path file = dir.resolve("results/three-runs.json");

        Baseline.update(file, List.of(summary(21_000, 40_000, 0, 0, 100), summary(19_000, 38_000, 0, 0, 120), summary(20_000, 44_000, 0, 0, 90)), "three-runs");

        Metric rate = Baseline.read(file).stream().filter(m -> m.name().equals("server_msgs_per_s")).findFirst().orElseThrow();
        assertThat(rate.baseline()).isEqualTo(20_000);
        JsonNode written = JSON.readTree(file.toFile());
        assertThat(written.path("runs").asInt()).isEqualTo(3);
        assertThat(written.path("metrics").path("MessageThroughput").path("server_msgs_per_cpu_s").path("range").toString()).isEqualTo("[38000.0,44000.0]");
    }

    @Test
    void aBaselineMetricWithoutValueOrToleranceIsAnErrorNotAZero() throws Exception {
        Path file = baseline();
        for (String field : List.of("\"value\" : 20000.0,", "\"tolerance\" : 0.2\n")) {
            Path broken = dir.resolve("broken.json");
            Files.writeString(broken, Files.readString(file).replaceFirst(java.util.regex.Pattern.quote(field), field.endsWith("\n") ? "\"note\" : 1\n" : ""));
            Path run = dir.resolve("summary.json");
            JSON.writeValue(run.toFile(), summary(20_000, 40_000, 0, 0, 100));

            assertThat(Gate.run(new String[] {"compare", "--summary", run.toString(), "--baseline", broken.toString()})).as(field).isEqualTo(2);
        }
    }

    @Test
    void theCommandLineExitsOneOnARegressionAndWritesMarkdown() throws Exception {
        Path file = baseline();
        Path run = dir.resolve("summary.json");
        JSON.writeValue(run.toFile(), summary(15_000, 30_000, 0, 0, 100));
        Path markdown = dir.resolve("table.md");

        int exit = Gate.run(new String[] {"compare", "--summary", run.toString(), "--baseline", file.toString(), "--markdown", markdown.toString()});

        assertThat(exit).isEqualTo(1);
        assertThat(Files.readString(markdown)).contains("regression", "server_msgs_per_s");
        assertThat(Gate.run(new String[] {"compare", "--summary", run.toString()})).isEqualTo(2);
        assertThat(Gate.run(new String[] {"compare", "--summary", run.toString(), "--baseline", file.toString(), "--tolerance", "1"})).isEqualTo(2);
    }

    @Test
    void aSummaryThatLacksAFigureIsAnErrorNotAPass() throws Exception {
        Path file = baseline();
        Path run = dir.resolve("renamed.json");
        Files.writeString(run, JSON.writeValueAsString(summary(20_000, 40_000, 0, 0, 100)).replace("\"lost\"", "\"lots\""));

        assertThat(Gate.run(new String[] {"compare", "--summary", run.toString(), "--baseline", file.toString()})).isEqualTo(2);
    }

    @Test
    void aProfileGivesBackTheSettingsItWasMeasuredWith() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream console = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Gate.run(new String[] {"settings", "--baseline", baseline().toString()})).isZero();
        } finally {
            System.setOut(console);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).trim()).isEqualTo("-Dmode=fire");
    }
}
