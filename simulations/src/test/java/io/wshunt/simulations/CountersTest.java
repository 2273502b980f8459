package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.wshunt.server.ChatServer;
import io.wshunt.server.ServerSettings;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void anInjectorWithoutASenderCountsItsDeliveryRateFromTheFirstBroadcastTheServerSent() {
        Counters receiverOnly = new Counters();
        receiverOnly.broadcastReceived(10_500, 10_000);
        receiverOnly.broadcastReceived(11_200, 11_000);
        receiverOnly.broadcastReceived(12_000, 11_900);
        receiverOnly.broadcastReceived(12_000, 11_900);

        assertThat(receiverOnly.deliveryRate()).isCloseTo(4 / 2.0, within(1e-9));
        assertThat(receiverOnly.deliveriesBySecond()).as("each arrival in the second of this machine's clock it came in")
                .containsExactly(java.util.Map.entry("10", 1L), java.util.Map.entry("11", 1L), java.util.Map.entry("12", 2L));
    }

    @Test
    void deliveriesAreOverOnceNoneHasArrivedForAWhileOrNoneEverDid() {
        Counters counters = new Counters();
        assertThat(counters.nothingArrivedFor(java.time.Duration.ofSeconds(5))).as("none ever arrived").isTrue();
        long now = System.currentTimeMillis();
        counters.broadcastReceived(now, now - 10);
        assertThat(counters.nothingArrivedFor(java.time.Duration.ofSeconds(5))).isFalse();
        counters.broadcastReceived(now - 6_000, now - 6_010);
        assertThat(counters.nothingArrivedFor(java.time.Duration.ofSeconds(5))).as("the latest arrival counts, not the last counted").isFalse();
        assertThat(counters.nothingArrivedFor(java.time.Duration.ZERO)).isTrue();
    }

    @Test
    void aSendersInjectorCountsFromItsFirstChatSentWhenThatCameFirst() {
        Counters withSender = new Counters();
        withSender.chatSentNow();
        long sentAt = System.currentTimeMillis();
        withSender.broadcastReceived(sentAt + 4_000, sentAt + 3_000);

        assertThat(withSender.deliveryRate()).isBetween(1 / 4.1, 1 / 3.9);
    }

    @Test
    void anInjectorWhoseClockIsBehindTheServersTimesDeliveriesOnTheServersClock() {
        // This machine's clock reads 250 ms behind the server's: a delivery that took 20 ms arrives at 10,020 on the
        // server's clock, 9,770 on this one; without the offset it would read as -230 ms (0), with it as 20.
        Counters skewed = new Counters();
        skewed.clockOffset(ClockOffset.of(1_000_000, 1_250_500, 1_001_000));
        skewed.broadcastReceived(9_770, 10_000);

        assertThat(skewed.deliveryLatencyMillis.getMaxValue()).isEqualTo(20);
    }

    @Test
    void theOffsetIsTheServersTimeAgainstTheMiddleOfTheRoundTripAndAServerOnThisMachineReadsNearZero() throws Exception {
        ClockOffset offset = ClockOffset.of(1_000_000, 1_250_500, 1_001_000);
        assertThat(offset.millis()).isCloseTo(250.0, within(1e-9));
        assertThat(offset.roundTripMillis()).isCloseTo(1.0, within(1e-9));

        ChatServer server = new ChatServer(ServerSettings.parse(new String[] {"--port", "0", "--admin-port", "0"}, Map.of()));
        server.start();
        try {
            URI stats = server.adminUri().resolve("/stats");
            ClockOffset measured = ClockOffset.against(List.of(stats, stats));
            assertThat(measured.measured()).isTrue();
            assertThat(Math.abs(measured.millis())).as("one clock").isLessThanOrEqualTo(measured.roundTripMillis() / 2 + 1);
        } finally {
            server.stop();
        }
        assertThat(ClockOffset.against(List.of()).measured()).as("no server named").isFalse();
        assertThat(ClockOffset.against(Optional.empty()).measured()).isFalse();
    }
}
