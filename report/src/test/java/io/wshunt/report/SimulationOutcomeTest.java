package io.wshunt.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On accounting files written by real injectors (400 users, two servers). */
class SimulationOutcomeTest {
    /** A ceiling measured only in the ack phase, as the runner's probe reports one. */
    private record AckCeiling(double rate) implements CeilingShare {
        @Override
        public java.util.Optional<Double> share(String phase, double measured) {
            return phase.equals("ack") ? java.util.Optional.of(measured / rate) : java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<String> describe(String phase, double measured, String unit) {
            return share(phase, measured).map(share -> String.format("%.0f%% of %,.0f %s", share * 100, rate, unit));
        }
    }

    @TempDir
    Path dir;

    private static Path real(String simulation) throws Exception {
        return Path.of(SimulationOutcomeTest.class.getResource("/accounting/" + simulation + "-accounting.json").toURI());
    }

    private Path edited(String simulation, String from, String to) throws Exception {
        String text = Files.readString(real(simulation));
        assertThat(text).contains(from);
        return Files.writeString(dir.resolve(simulation + "-accounting.json"), text.replace(from, to));
    }

    private static SimulationOutcome.Builder outcome(Path accounting, long counted, long acks, long chats) throws IOException {
        return new SimulationOutcome.Builder("MessageThroughput", 400).addInjector(accounting)
                .serverCounter("benchmark_messages", counted).serverCounter("acks", acks).serverCounter("chat_messages", chats);
    }

    @Test
    void everyServerCounterReachesTheSummaryAsTheServersCountedIt() throws Exception {
        SimulationOutcome outcome = outcome(real("MessageThroughput"), 8_000, 8_000, 0)
                .serverCounter("acks_dropped", 3L).serverCounter("rejected_frames", 2L).serverCounter("backplane_errors", 1L).build();

        assertThat(outcome.toMap().get("server_counters")).asString()
                .contains("acks_dropped=3", "rejected_frames=2", "backplane_errors=1", "benchmark_messages=8000");
        assertThat(SimulationOutcome.SERVER_COUNTERS).contains("acks_dropped", "rejected_frames", "backplane_errors");
    }

    @Test
    void everyMessageCountedAndAckedPasses() throws Exception {
        SimulationOutcome outcome = outcome(real("MessageThroughput"), 8_000, 8_000, 0).build();

        assertThat(outcome.connected()).isEqualTo(400);
        assertThat(outcome.endToEnd().users().benchmarkSent()).isEqualTo(8_000);
        assertThat(outcome.lost()).isZero();
        assertThat(outcome.duplicated()).isZero();
        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.table()).contains("400 of 400 connected, 0 failed");
    }

    @Test
    void aMissingAckIsALossEvenWhenTheServerCountedEveryMessage() throws Exception {
        SimulationOutcome outcome = outcome(edited("MessageThroughput", "\"acks_received\" : 8000", "\"acks_received\" : 7990"), 8_000, 8_000, 0).build();

        assertThat(outcome.lost()).isEqualTo(10);
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.toMap()).containsEntry("lost", 10L);
    }

    @Test
    void duplicatesAreTheirOwnFailureAndNeverCancelALoss() throws Exception {
        // The servers counted 5 messages more than were sent, and 5 acks went missing.
        SimulationOutcome outcome = outcome(edited("MessageThroughput", "\"acks_received\" : 8000", "\"acks_received\" : 7995"), 8_005, 8_005, 0).build();

        assertThat(outcome.lost()).isEqualTo(5);
        assertThat(outcome.duplicated()).isEqualTo(5);
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.table()).contains("DUPLICATED", "benchmark messages counted by the servers +5");
    }

    @Test
    void deliveriesAreExpectedAtEveryConnectedUser() throws Exception {
        SimulationOutcome sent = new SimulationOutcome.Builder("ChatBroadcast", 400).addInjector(real("ChatBroadcast")).build();
        SimulationOutcome outcome = new SimulationOutcome.Builder("ChatBroadcast", 400).addInjector(real("ChatBroadcast"))
                .serverCounter("benchmark_messages", 0L).serverCounter("chat_messages", sent.chatSent()).build();

        assertThat(outcome.deliveriesExpected()).isEqualTo(outcome.chatSent() * 400).isPositive();
        assertThat(outcome.broadcastsReceived()).isEqualTo(outcome.deliveriesExpected());
        assertThat(outcome.lost()).isZero();
    }

    @Test
    void aPacedRunThatFellShortSaysWhoWasShort() throws Exception {
        SimulationOutcome.Builder paced = outcome(real("MessageThroughput"), 8_000, 8_000, 0).targetRate(45_000);
        SimulationOutcome outcome = paced.build();
        double rate = outcome.serverBenchmarkRate();
        assertThat(outcome.targetWords()).contains("only", "the ceiling was not measured");
        assertThat(outcome.passed()).as("short of the pace, and nothing says who was short: not measured is not a pass").isFalse();
        assertThat(outcome.reasons()).anySatisfy(reason -> assertThat(reason).contains("no ceiling measured"));

        outcome = paced.ceiling(new AckCeiling(rate * 10)).build();
        assertThat(outcome.targetWords()).contains("injector-bound");
        assertThat(outcome.toMap().get("benchmark")).asString().contains("reached_target=false");

        assertThat(outcome.passed()).isTrue();

        outcome = paced.ceiling(new AckCeiling(rate * 1.1)).build();
        assertThat(outcome.targetWords()).contains("server-bound");
        assertThat(outcome.reasons()).anySatisfy(reason -> assertThat(reason).contains("the server was the limit"));

        outcome = paced.targetRate(rate).build();
        assertThat(outcome.targetWords()).contains("100% reached");
        assertThat(outcome.passed()).isTrue();
    }

    @Test
    void aPacedRunIsJudgedOnTheRateItHeldForAsLongAsItWasAsked() throws Exception {
        SimulationOutcome.Builder paced = outcome(real("MessageThroughput"), 8_000, 8_000, 0);
        double wholeWindow = paced.build().serverBenchmarkRate();
        SimulationOutcome outcome = paced.targetRate(wholeWindow / 0.9).build();
        assertThat(outcome.targetWords()).contains("only 90% reached");

        outcome = paced.sustainedWindowS(60).sustainedRate(wholeWindow / 0.9).build();
        assertThat(outcome.targetWords()).contains("100% reached", "over the best 60 s");
        assertThat(outcome.toMap().get("benchmark")).asString().contains("reached_target=true", "share_of_target=1.0");
        assertThat(outcome.serverBenchmarkRate()).as("the whole window's rate is still reported as it was").isEqualTo(wholeWindow);
    }

    @Test
    void aRenamedCounterIsAnErrorNotAQuietZero() throws Exception {
        Path renamed = edited("MessageThroughput", "\"acks_received\"", "\"acks_recieved\"");

        assertThatThrownBy(() -> outcome(renamed, 8_000, 8_000, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("acks_received");
    }

    @Test
    void aMissingCounterIsAnError() throws Exception {
        Path missing = edited("MessageThroughput", "\"chat_sent\" : 0,", "");

        assertThatThrownBy(() -> outcome(missing, 8_000, 8_000, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("chat_sent");
    }

    @Test
    void aServerWithoutCountersIsNotCountedNeverZero() throws Exception {
        SimulationOutcome chat = new SimulationOutcome.Builder("ChatBroadcast", 400).addInjector(real("ChatBroadcast")).build();

        assertThat(chat.toMap()).extractingByKey("chat").asString().contains("counted_by_servers=not counted");
        assertThat(chat.toMap().get("not_counted")).asList().singleElement().asString().contains("deliveries are counted at the receivers");
        assertThat(chat.table()).contains("not counted by the servers", "NOT COUNTED");

        SimulationOutcome fired = new SimulationOutcome.Builder("MessageThroughput", 400)
                .addInjector(edited("MessageThroughput", "\"mode\" : \"ack\"", "\"mode\" : \"fire\"")).build();
        assertThat(fired.passed()).as("a loss nobody could count is no pass").isFalse();
        assertThat(fired.reasons()).anySatisfy(reason -> assertThat(reason).startsWith("loss not counted: benchmark messages"));
    }

    @Test
    void aServerThatKeepsSomeCountersIsCountedOnThoseAlone() throws Exception {
        long sent = new SimulationOutcome.Builder("ChatBroadcast", 400).addInjector(real("ChatBroadcast")).build().chatSent();
        SimulationOutcome chat = new SimulationOutcome.Builder("ChatBroadcast", 400).addInjector(real("ChatBroadcast"))
                .serverCounter("chat_messages", sent).build();

        assertThat(chat.toMap()).extractingByKey("chat").asString().contains("counted_by_servers=" + chat.chatSent(), "deliveries_dropped_by_servers=not counted",
                "fan_out_ms_mean=not counted");
        assertThat(chat.toMap().get("not_counted")).asList().isEmpty();
        assertThat(chat.passed()).isTrue();
    }

    @Test
    void theFanOutIsTheServersMeanTimeFromHavingABroadcastToHavingWrittenItToEveryUserOfALane() throws Exception {
        SimulationOutcome chat = new SimulationOutcome.Builder("ChatBroadcast", 400).addInjector(real("ChatBroadcast"))
                .serverCounter("fan_outs", 8L).serverCounter("fan_out_us", 9_000_000L).build();

        assertThat(chat.toMap()).extractingByKey("chat").asString().contains("fan_out_ms_mean=1125");
        assertThat(chat.table()).contains("1,125 ms a broadcast on average");
    }

    @Test
    void anOutcomeStaysAsItWasBuiltAndJudgesAReportThatChartsTooFewUsers() throws Exception {
        SimulationOutcome.Builder run = outcome(real("MessageThroughput"), 8_000, 8_000, 0);
        SimulationOutcome built = run.build();
        long connected = built.connected();

        run.problem("a server died").report(Path.of("report/index.html"), connected - 1);

        assertThat(built.passed()).as("what the run adds later does not reach an outcome already built").isTrue();
        assertThat(run.build().reasons()).contains("a server died")
                .anySatisfy(reason -> assertThat(reason).contains("charts " + String.format("%,d", connected - 1) + " concurrent users"));
    }
}
