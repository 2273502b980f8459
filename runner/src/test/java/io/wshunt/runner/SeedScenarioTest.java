package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.wshunt.report.SimulationOutcome;
import org.junit.jupiter.api.Test;

/** The seed's three tests: their settings at any number of users, and each figure judged beside the blog's. */
class SeedScenarioTest {
    /** What 400 fire-and-forget users reported after sending 750,000 messages over 20 s. */
    private static SimulationOutcome burst(long countedByServers) throws Exception {
        Path accounting = Path.of(SeedScenarioTest.class.getResource("/accounting/burst-accounting.json").toURI());
        return new SimulationOutcome.Builder("MessageThroughput", 400).addInjector(accounting)
                .serverCounter("benchmark_messages", countedByServers).build();
    }

    @Test
    void theBurstIs750000MessagesOverHoweverManyUsersAndTheUsersOwnSettingsWin() {
        assertThat(SeedScenario.settings("MessageThroughput", 50_000, Map.of())).containsEntry("messagesPerUser", "15").containsEntry("mode", "fire")
                .as("over all connections, as the blog's").containsEntry("burstSenders", "0");
        assertThat(SeedScenario.settings("MessageThroughput", 400, Map.of())).containsEntry("messagesPerUser", "1875");
        assertThat(SeedScenario.settings("Endurance", 50_000, Map.of("enduranceRate", "30000")))
                .containsEntry("enduranceSeconds", "60").doesNotContainKey("enduranceRate");
        assertThat(SeedScenario.settings("ConnectionRamp", 50_000, Map.of())).containsEntry("connectRate", "2500");
        assertThatThrownBy(() -> SeedScenario.settings("ChatBroadcast", 50_000, Map.of())).hasMessageContaining("not one of the seed's tests");
    }

    @Test
    void aFigureIsShownBesideTheBlogsAndATestThatDidNotRunIsNotMeasured() throws Exception {
        List<Map<String, Object>> judged = SeedScenario.judge(List.of(burst(750_000)), Optional.empty());

        Map<String, Object> burst = judged.get(1);
        assertThat(burst).containsEntry("measured_per_s", 37_500L).containsEntry("beats_seed", true).containsEntry("passed", true);
        assertThat((Double) burst.get("share_of_seed")).isEqualTo(1.344);
        assertThat(judged.get(0)).containsEntry("not_measured", "ConnectionRamp did not run").doesNotContainKey("measured_per_s");
        assertThat(SeedScenario.allPassed(judged)).isFalse();
        assertThat(SeedScenario.table(judged)).contains("37,500 msg/s", "27,910.0/s", "1.34x", "not measured: Endurance did not run");
    }

    @Test
    void theProfileChoosesItsOwnSimulationsAndRefusesWhatWouldChangeThem() {
        assertThat(RunnerOptions.parse(new String[] {"--profile", "seed"}).simulations()).containsExactly("ConnectionRamp", "MessageThroughput", "Endurance");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--profile", "seed", "--simulations", "Endurance"})).hasMessageContaining("not with --simulations");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--profile", "seed", "--find-limit"})).hasMessageContaining("not with --find-limit");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--profile", "blog"})).hasMessageContaining("unknown --profile blog");
    }

    @Test
    void thePageShowsEachTestBesideTheBlogAndFailsOnATestNotMeasured(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SimulationOutcome burst = burst(750_000);
        Map<String, Object> summary = Map.of("users", 400, "simulations", List.of(burst.toMap()),
                "seed", Map.of("source", SeedScenario.SOURCE, "tests", SeedScenario.judge(List.of(burst), Optional.empty())));

        Path page = io.wshunt.report.page.RunPage.write(dir, io.wshunt.contract.Json.MAPPER.valueToTree(summary), List.of(), Map.of());

        String html = java.nio.file.Files.readString(page);
        assertThat(html).contains("The seed's scenario", "37,500 msg/s", "27,910.0 msg/s", "1.34x", "FAILED");
        assertThat(html).contains("the seed's ramp to all connections: not measured: ConnectionRamp did not run");
    }

    @Test
    void aRampWhoseUsersWaitedLongerThanTwoSecondsToConnectFailsThoughItsSimulationPassed() throws Exception {
        Path accounting = Path.of(SeedScenarioTest.class.getResource("/accounting/burst-accounting.json").toURI());
        SimulationOutcome ramp = new SimulationOutcome.Builder("ConnectionRamp", 400).addInjector(accounting).serverCounter("benchmark_messages", 750_000)
                .requests(Map.of("connect", Map.of("ok", 400, "ko", 0, "p99_ms", 8_159L))).build();

        Map<String, Object> judged = SeedScenario.judge(List.of(ramp), Optional.empty()).get(0);

        assertThat(ramp.passed()).isTrue();
        assertThat(judged).containsEntry("passed", false).containsEntry("p99_ms", 8_159L).containsEntry("measured_per_s", 175L);
        assertThat(judged.get("reasons")).asString().contains("connect p99 8,159 ms over 2,000 ms");
    }

    @Test
    void messagesTheServersDidNotCountAreNotAFigure() throws Exception {
        Map<String, Object> burst = SeedScenario.judge(List.of(burst(0)), Optional.empty()).get(1);

        assertThat(burst).doesNotContainKey("measured_per_s").containsEntry("passed", false);
        assertThat((String) burst.get("not_measured")).startsWith("the servers counted no msg/s");
    }
}
