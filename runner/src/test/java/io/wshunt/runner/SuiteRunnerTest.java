package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import io.wshunt.preflight.HostLimits;

class SuiteRunnerTest {

    private static RunMonitor.Sample sample(long cpuMillis, long allocated, long messages) {
        return new RunMonitor.Sample(cpuMillis, allocated, messages, 0);
    }

    @Test
    void costIsMessagesPerServerCpuSecondAndBytesPerMessageOverTheSendingWindowOnly() {
        // One sample a second: connecting, sending, closing.
        List<RunMonitor.Sample> samples = List.of(
                sample(1_000, 5_000_000, 0), sample(1_800, 9_000_000, 0),
                sample(2_300, 30_000_000, 10_000), sample(2_800, 55_000_000, 20_000),
                sample(3_000, 71_500_000, 25_000), sample(4_000, 99_000_000, 25_000));

        RunMonitor.MessageCost cost = RunMonitor.costPerMessage(samples);

        assertThat(cost.messagesPerCpuSecond()).isCloseTo(25_000 / 1.2, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(cost.bytesPerMessage()).isEqualTo((71_500_000 - 9_000_000) / 25_000.0);
    }

    @Test
    void bytesPerMessageAreNotMeasuredWhenAServerDoesNotCountThem() {
        List<RunMonitor.Sample> samples = List.of(sample(1_000, -1, 0), sample(2_000, -1, 10_000));

        assertThat(RunMonitor.costPerMessage(samples).bytesPerMessage()).isNaN();
    }

    @Test
    void theSustainedRateIsTheBestStretchAsLongAsThePacedRunNotTheWholeSendWindow() {
        // One sample a second: 5 s of users starting, 60 s at 30,000/s, 5 s of users stopping.
        List<RunMonitor.Sample> samples = new java.util.ArrayList<>();
        long messages = 0;
        for (int second = 0; second <= 70; second++) {
            samples.add(new RunMonitor.Sample(0, 0, messages, second * 1_000_000_000L));
            messages += second < 5 || second >= 65 ? 15_000 : 30_000;
        }
        double wholeWindow = (double) samples.get(70).benchmarkMessages() / 70;

        assertThat(wholeWindow).isLessThan(28_000);
        assertThat(RunMonitor.bestRateOver(samples, 60)).isEqualTo(30_000);
        assertThat(RunMonitor.bestRateOver(samples, 71)).as("no stretch that long").isZero();
    }

    @Test
    void anInjectorWhoseOwnShareFailedAnAssertionLeavesTheVerdictToTheMergedReport() {
        java.nio.file.Path log = java.nio.file.Path.of("injector-2", "gatling.log");

        assertThat(InjectorFleet.exitProblem(2, InjectorFleet.GATLING_ASSERTIONS_FAILED, log)).isEmpty();
        assertThat(InjectorFleet.exitProblem(2, 0, log)).isEmpty();
        assertThat(InjectorFleet.exitProblem(2, 1, log)).hasValueSatisfying(problem ->
                assertThat(problem).contains("injector-2 exited with 1").contains(log.toString()));
        assertThat(InjectorFleet.exitProblem(2, -1, log)).as("still running").isPresent();
    }

    @Test
    void aSimulationDirectoryLeftByAnEarlierRunIsEmptiedSoItsLogsAreNotMergedAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
            throws Exception {
        java.nio.file.Path stale = out.resolve("ConnectionRamp/injector-1/connectionramp-1/simulation.log");
        java.nio.file.Files.createDirectories(stale.getParent());
        java.nio.file.Files.writeString(stale, "an earlier run");

        assertThat(SuiteRunner.clearPreviousRun(out.resolve("ConnectionRamp"))).isTrue();
        assertThat(out.resolve("ConnectionRamp")).doesNotExist();
        assertThat(SuiteRunner.clearPreviousRun(out.resolve("Endurance"))).as("nothing there").isFalse();
    }

    @Test
    void noMessagesNoCapacity() {
        assertThat(RunMonitor.costPerMessage(List.of(sample(1, 0, 0), sample(2, 0, 0))).messagesPerCpuSecond()).isZero();
        assertThat(RunMonitor.costPerMessage(List.of()).messagesPerCpuSecond()).isZero();
    }

    @Test
    void theOptionsNameWhatIsWrong() {
        RunnerOptions options = RunnerOptions.parse(new String[] {"--users", "50_000", "--simulations", "ChatBroadcast",
                "--server-classpath", "base.jar", "-DchatSenders=20"});
        assertThat(options.users()).isEqualTo(50_000);
        assertThat(options.simulations()).containsExactly("ChatBroadcast");
        assertThat(options.serverClasspath()).isEqualTo("base.jar");
        assertThat(options.simulationProperties()).containsEntry("chatSenders", "20");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--simulations", "Nope"}))
                .hasMessageContaining("unknown simulation Nope");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--users", "0"}))
                .hasMessageContaining("--users").hasMessageContaining("'0' is not above zero");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--user", "5"}))
                .hasMessageContaining("Unknown option").hasMessageContaining("--user");
    }

    @Test
    void aMistypedOptionIsRefusedBeforeAnythingStarts() throws Exception {
        assertThat(SuiteRunner.run(new String[] {SuiteRunner.CHECK_OPTIONS, "--users", "1_500", "-DconnectRate=2_000"}, HostLimits.read())).isZero();
        assertThat(SuiteRunner.run(new String[] {SuiteRunner.CHECK_OPTIONS, "--usres", "1500"}, HostLimits.read())).isEqualTo(2);
        assertThat(SuiteRunner.run(new String[] {SuiteRunner.CHECK_OPTIONS, "-DenduranceSeconds=soon"}, HostLimits.read())).isEqualTo(2);
        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(SuiteRunner.run(new String[] {SuiteRunner.CHECK_OPTIONS, "--help"}, HostLimits.read())).isZero();
        } finally {
            System.setOut(console);
        }
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).as("the help is printed once, by the real run").isEmpty();
    }

    @Test
    void socketsThatNeverUpgradedAreNamedAboveAHundred() {
        com.fasterxml.jackson.databind.node.ObjectNode stats = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("node_id", "server-1").put("connections", 5).put("open_sockets", 10_005);
        assertThat(SuiteRunner.socketsNeverUpgraded(stats)).hasValueSatisfying(problem -> assertThat(problem).contains("server-1").contains("10,000"));
        stats.put("open_sockets", 5 + SuiteRunner.NEVER_UPGRADED_TOLERATED);
        assertThat(SuiteRunner.socketsNeverUpgraded(stats)).isEmpty();
        // An older server without the figure is not named.
        stats.remove("open_sockets");
        assertThat(SuiteRunner.socketsNeverUpgraded(stats)).isEmpty();
    }
}
