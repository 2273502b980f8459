package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshunt.report.InjectorAccounting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountingTest {
    @TempDir
    Path dir;

    private static JsonNode stats(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    private Settings settings(String mode) {
        Properties properties = new Properties();
        properties.setProperty("mode", mode);
        properties.setProperty("countersDir", dir.toString());
        return Settings.from(properties);
    }

    @Test
    void countsWhatTheServerDidNotReceiveAndAcksThatNeverCame() throws Exception {
        Counters counters = new Counters();
        counters.connected.add(10);
        counters.benchmarkSent.add(100);
        counters.acksReceived.add(97);
        Accounting accounting = new Accounting("T", settings("ack"), counters,
                Optional.of(stats("{\"benchmark_messages\":5}")), Optional.of(stats("{\"benchmark_messages\":103}")), null);

        assertThat(accounting.serverDelta("benchmark_messages")).contains(98L);
        assertThat(accounting.endToEnd().benchmark().lost()).isEqualTo(2);
        assertThat(accounting.endToEnd().acks().lost()).isEqualTo(3);
        assertThat(accounting.lost()).isEqualTo(5);
        assertThat(accounting.table()).contains("98 of 100  (lost 2)", "97 of 100  (lost 3)").containsPattern("LOST end to end +5");
    }

    @Test
    void expectsEveryChatMessageAtEveryConnectedUser() throws Exception {
        Counters counters = new Counters();
        counters.connected.add(4);
        counters.chatSent.add(3);
        counters.broadcastsReceived.add(11);
        Accounting accounting = new Accounting("Chat", settings("ack"), counters, Optional.empty(), Optional.empty(), null);

        assertThat(accounting.endToEnd().deliveriesExpected()).isEqualTo(12);
        assertThat(accounting.endToEnd().deliveries().lost()).isEqualTo(1);
        assertThat(accounting.lost()).isEqualTo(1);
        Path saved = accounting.save();
        assertThat(Files.readString(saved)).contains("\"simulation\" : \"Chat\"", "\"lost\" : 1");
        assertThat(InjectorAccounting.read(saved).injector().broadcastsReceived()).as("what the runner reads back").isEqualTo(11);
    }

    @Test
    void withoutAcksOrServerCountsTheLossOfBenchmarkMessagesIsNotCounted() {
        Counters counters = new Counters();
        counters.benchmarkSent.add(50);
        Accounting accounting = new Accounting("F", settings("fire"), counters, Optional.empty(), Optional.empty(), null);
        assertThat(accounting.serverDelta("benchmark_messages")).isEmpty();
        assertThat(accounting.lost()).isZero();
        assertThat(accounting.endToEnd().lossCounted()).as("never read as nothing lost").isFalse();
        assertThat(accounting.endToEnd().notCounted()).singleElement().asString().startsWith("benchmark messages: not counted");
        assertThat(accounting.table()).contains("NOT COUNTED", "the rest is not counted");
    }

    @Test
    void chatWithoutServerCountsIsStillCountedAtTheReceivers() {
        Counters counters = new Counters();
        counters.connected.add(3);
        counters.chatSent.add(2);
        counters.broadcastsReceived.add(6);
        Accounting accounting = new Accounting("Chat", settings("ack"), counters, Optional.empty(), Optional.empty(), null);

        assertThat(accounting.endToEnd().lossCounted()).isTrue();
        assertThat(accounting.endToEnd().notCounted()).singleElement().asString().contains("deliveries are counted at the receivers");
        assertThat(accounting.lost()).isZero();
    }

    @Test
    void oneInjectorOfSeveralLeavesTheVerdictToTheRunner() throws Exception {
        Counters counters = new Counters();
        counters.connected.add(4);
        counters.chatSent.add(1);
        counters.broadcastsReceived.add(12); // the other injectors' chat messages arrive here too
        Properties properties = new Properties();
        properties.setProperty("countersDir", dir.toString());
        properties.setProperty("clusterStatsUrls", "http://127.0.0.1:1/stats");
        properties.setProperty("users", "4");
        properties.setProperty("chatSenders", "1");
        properties.setProperty("clusterUsers", "12");
        Accounting accounting = new Accounting("Chat", Settings.from(properties), counters, Optional.empty(), Optional.empty(), null);

        assertThat(accounting.lost()).isZero();
        assertThat(accounting.duplicated()).isZero();
        assertThat(accounting.table()).contains("judged by the suite runner");
    }
}
