package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        assertThat(accounting.benchmarkLostAtServer()).isEqualTo(2);
        assertThat(accounting.acksMissing()).isEqualTo(3);
        assertThat(accounting.lost()).isEqualTo(5);
        assertThat(accounting.table()).contains("(lost 2)", "(missing 3)", "LOST end to end              5");
    }

    @Test
    void expectsEveryChatMessageAtEveryConnectedUser() throws Exception {
        Counters counters = new Counters();
        counters.connected.add(4);
        counters.chatSent.add(3);
        counters.broadcastsReceived.add(11);
        Accounting accounting = new Accounting("Chat", settings("ack"), counters, Optional.empty(), Optional.empty(), null);

        assertThat(accounting.deliveriesExpected()).isEqualTo(12);
        assertThat(accounting.deliveriesLost()).isEqualTo(1);
        assertThat(accounting.lost()).isEqualTo(1);
        Path saved = accounting.save();
        assertThat(Files.readString(saved)).contains("\"deliveries_lost\" : 1", "\"simulation\" : \"Chat\"");
    }

    @Test
    void withoutServerCountsOnlyTheInjectorSideIsJudged() {
        Counters counters = new Counters();
        counters.benchmarkSent.add(50);
        Accounting accounting = new Accounting("F", settings("fire"), counters, Optional.empty(), Optional.empty(), null);
        assertThat(accounting.serverDelta("benchmark_messages")).isEmpty();
        assertThat(accounting.lost()).isZero();
    }
}
