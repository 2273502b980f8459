package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import io.wshunt.contract.SimulationSetting;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.probe.Ceiling;
import org.junit.jupiter.api.Test;

class LoadSizingTest {
    /** A ceiling as the probe reports it, with only the phases the sizing reads. */
    private static Ceiling ceiling(double connectsPerSecond, double roundTripsPerSecond) {
        return new Ceiling(Map.of(
                "connect", phase("connect", "connect", connectsPerSecond, 400, 3_000, CapacityProbe.Latency.NONE),
                "ack", phase("ack", "round trip", roundTripsPerSecond, 9.2, 300_000, new CapacityProbe.Latency(34, 84)),
                // What the probe's batched fan-out reaches: far more than a chat round of Gatling users takes.
                "broadcast", phase("broadcast", "delivery", 551_312, 1.1, 1_786_200, CapacityProbe.Latency.NONE)));
    }

    /** A phase of one second at {@code rate}, with {@code cpuMicros} per unit, nothing lost. */
    private static CapacityProbe.Phase phase(String name, String unit, double rate, double cpuMicros, long sent, CapacityProbe.Latency latency) {
        long units = Math.round(rate);
        CapacityProbe.Cost cost = new CapacityProbe.Cost(1, units, Math.round(cpuMicros * 1_000 * units), -1, -1);
        return new CapacityProbe.Phase(name, unit, cost, cost, new CapacityProbe.Tally(sent, sent, 0), latency);
    }

    @Test
    void fiftyThousandUsersGetALoadSizedFromTheCeiling() {
        LoadSizing load = LoadSizing.of(50_000, Map.of(), Optional.of(ceiling(2_470, 91_964)));

        assertThat(load.intProperty(SimulationSetting.CONNECT_RATE)).isEqualTo(1_646);
        assertThat(load.intProperty(SimulationSetting.BURST_SENDERS)).as("a quarter of the probe's round trips/s").isEqualTo(22_991);
        assertThat(load.intProperty(SimulationSetting.MESSAGES_PER_USER)).as("500,000 messages over them").isEqualTo(21);
        assertThat(load.intProperty(SimulationSetting.CHAT_SENDERS)).isEqualTo(1);
        assertThat(load.offeredDeliveriesPerSecond(50_000)).as("a quarter of the probe's round trips/s, at most")
                .isLessThanOrEqualTo(91_964 * LoadSizing.ROUND_TRIP_SHARE).isGreaterThan(91_964 * LoadSizing.ROUND_TRIP_SHARE * 0.9);
        assertThat(load.describe()).contains("a quarter of the probe's 91,964 round trips/s");
        assertThat(load.intProperty(SimulationSetting.ENDURANCE_RATE)).as("every user sends several times in 20 s").isEqualTo(10_000);
        assertThat(load.describe()).contains("two thirds of the probe's 2,470 connects/s");
    }

    @Test
    void anAckedEnduranceThatWouldAskMoreThanAQuarterOfTheProbesRoundTripsRunsLongerInstead() {
        LoadSizing load = LoadSizing.of(100_000, Map.of(), Optional.of(ceiling(2_003, 55_606)));

        assertThat(load.intProperty(SimulationSetting.ENDURANCE_SECONDS)).as("four sends each at 13,902/s at most").isEqualTo(29);
        assertThat(load.intProperty(SimulationSetting.ENDURANCE_RATE)).isEqualTo(13_794).isLessThanOrEqualTo((int) (55_606 * LoadSizing.ROUND_TRIP_SHARE));
        assertThat(load.reasons().get("enduranceSeconds")).contains("a quarter of the probe's 55,606 round trips/s");

        LoadSizing fire = LoadSizing.of(100_000, Map.of("mode", "fire"), Optional.of(ceiling(2_003, 55_606)));
        assertThat(fire.intProperty(SimulationSetting.ENDURANCE_RATE)).as("fire-and-forget waits for no ack").isEqualTo(20_000);
        LoadSizing given = LoadSizing.of(100_000, Map.of("enduranceSeconds", "20"), Optional.of(ceiling(2_003, 55_606)));
        assertThat(given.intProperty(SimulationSetting.ENDURANCE_RATE)).as("a duration the user gave is kept").isEqualTo(20_000);
        LoadSizing rateGiven = LoadSizing.of(100_000, Map.of("enduranceRate", "18000"), Optional.of(ceiling(2_003, 55_606)));
        assertThat(rateGiven.intProperty(SimulationSetting.ENDURANCE_SECONDS)).as("nor made longer for a rate the user gave").isEqualTo(20);
    }

    @Test
    void anAckedEnduranceAfterTheBurstOffersAtMostThreeQuartersOfTheAckedRateTheBurstReachedWithTheSameUsers() {
        LoadSizing load = LoadSizing.of(100_000, Map.of(), Optional.of(ceiling(3_134, 83_994)));
        assertThat(load.intProperty(SimulationSetting.ENDURANCE_RATE)).as("within a quarter of the probe's").isEqualTo(20_000);

        LoadSizing paced = load.afterBurst(8_284, 100_000);
        assertThat(paced.intProperty(SimulationSetting.ENDURANCE_SECONDS)).as("400,000 sends at 6,213/s at most").isEqualTo(65);
        assertThat(paced.intProperty(SimulationSetting.ENDURANCE_RATE)).isEqualTo(6_154);
        assertThat(paced.reasons().get("enduranceSeconds")).contains("three quarters of the 8,284 acked msg/s MessageThroughput reached");
        assertThat(paced.intProperty(SimulationSetting.BURST_SENDERS)).as("the rest is kept").isEqualTo(load.intProperty(SimulationSetting.BURST_SENDERS));

        assertThat(load.afterBurst(40_000, 100_000)).as("a burst that acked more leaves the pace alone").isSameAs(load);
        LoadSizing given = LoadSizing.of(100_000, Map.of("enduranceRate", "18000"), Optional.of(ceiling(3_134, 83_994)));
        assertThat(given.afterBurst(8_284, 100_000)).as("a rate the user gave").isSameAs(given);
        LoadSizing fire = LoadSizing.of(100_000, Map.of("mode", "fire"), Optional.of(ceiling(3_134, 83_994)));
        assertThat(fire.afterBurst(8_284, 100_000)).as("fire-and-forget waits for no ack").isSameAs(fire);
    }

    @Test
    void aFireAndForgetSimulationWhoseInjectorsConnectColdConnectsAtAThirdOfTheProbesRate() {
        LoadSizing load = LoadSizing.of(50_000, Map.of(), Optional.of(ceiling(2_355, 60_000)));
        LoadSizing fire = load.with(Map.of("mode", "fire"), "the seed's scenario");

        assertThat(fire.forSimulation("MessageThroughput").intProperty(SimulationSetting.CONNECT_RATE)).isEqualTo(785);
        assertThat(fire.forSimulation("Endurance").reasons().get("connectRate")).contains("connect cold");
        assertThat(fire.forSimulation("ConnectionRamp").intProperty(SimulationSetting.CONNECT_RATE)).as("its injectors warm up").isEqualTo(1_570);
        assertThat(load.forSimulation("MessageThroughput").intProperty(SimulationSetting.CONNECT_RATE)).as("acked: the ack is timed, not the connect")
                .isEqualTo(1_570);
        LoadSizing given = LoadSizing.of(50_000, Map.of("connectRate", "1500", "mode", "fire"), Optional.of(ceiling(2_355, 60_000)));
        assertThat(given.forSimulation("MessageThroughput").intProperty(SimulationSetting.CONNECT_RATE)).isEqualTo(1_500);
    }

    @Test
    void anAckedBurstOfMoreUsersThanAQuarterOfTheProbesRoundTripsIsSentByThatManyOfThem() {
        LoadSizing load = LoadSizing.of(100_000, Map.of(), Optional.of(ceiling(2_003, 55_606)));

        assertThat(load.intProperty(SimulationSetting.BURST_SENDERS)).as("about a second of acks in flight").isEqualTo(13_901);
        assertThat(load.intProperty(SimulationSetting.MESSAGES_PER_USER)).as("the same 500,000 messages").isEqualTo(35);
        assertThat(load.reasons().get("burstSenders")).contains("a quarter of the probe's 55,606 round trips/s");

        assertThat(LoadSizing.of(100_000, Map.of("mode", "fire"), Optional.of(ceiling(2_003, 55_606))).intProperty(SimulationSetting.BURST_SENDERS))
                .as("fire-and-forget waits for no ack: every user sends").isZero();
        assertThat(LoadSizing.of(100_000, Map.of("messagesPerUser", "5"), Optional.of(ceiling(2_003, 55_606))).intProperty(SimulationSetting.BURST_SENDERS))
                .as("messages per user the user gave are every user's").isZero();
        assertThat(LoadSizing.of(10_000, Map.of(), Optional.of(ceiling(2_003, 55_606))).intProperty(SimulationSetting.BURST_SENDERS)).as("fewer users than that").isZero();
        assertThat(LoadSizing.of(100_000, Map.of(), Optional.empty()).intProperty(SimulationSetting.BURST_SENDERS)).as("no ceiling measured").isZero();
    }

    @Test
    void aSmallRunKeepsTheDefaultsWhereTheyFit() {
        LoadSizing load = LoadSizing.of(1_000, Map.of(), Optional.of(ceiling(2_470, 91_964)));

        assertThat(load.intProperty(SimulationSetting.CHAT_SENDERS)).isEqualTo(10);
        assertThat(load.intProperty(SimulationSetting.MESSAGES_PER_USER)).isEqualTo(20);
        assertThat(load.intProperty(SimulationSetting.CONNECT_RATE)).as("a ramp, not a one-second burst").isEqualTo(LoadSizing.DEFAULT_CONNECT_RATE);
        assertThat(load.intProperty(SimulationSetting.ENDURANCE_RATE)).isEqualTo(2_000);
        assertThat(load.intProperty(SimulationSetting.ENDURANCE_SECONDS)).as("always known: the runner judges the best stretch that long")
                .isEqualTo(LoadSizing.DEFAULT_ENDURANCE_SECONDS);
    }

    @Test
    void whatTheUserSetWinsAndWithoutACeilingTheDefaultsStand() {
        LoadSizing given = LoadSizing.of(50_000, Map.of("connectRate", "2_000", "chatSenders", "3"), Optional.of(ceiling(2_470, 91_964)));
        assertThat(given.intProperty(SimulationSetting.CONNECT_RATE)).isEqualTo(2_000);
        assertThat(given.intProperty(SimulationSetting.CHAT_SENDERS)).isEqualTo(3);
        assertThat(given.reasons()).containsEntry("connectRate", "given");

        LoadSizing blind = LoadSizing.of(50_000, Map.of(), Optional.empty());
        assertThat(blind.intProperty(SimulationSetting.CONNECT_RATE)).isEqualTo(LoadSizing.DEFAULT_CONNECT_RATE);
        assertThat(blind.intProperty(SimulationSetting.CHAT_INTERVAL_MILLIS)).isEqualTo(LoadSizing.DEFAULT_CHAT_INTERVAL_MILLIS);
    }
}
