package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    }

    @Test
    void aSendersInjectorCountsFromItsFirstChatSentWhenThatCameFirst() {
        Counters withSender = new Counters();
        withSender.chatSentNow();
        long sentAt = System.currentTimeMillis();
        withSender.broadcastReceived(sentAt + 4_000, sentAt + 3_000);

        assertThat(withSender.deliveryRate()).isBetween(1 / 4.1, 1 / 3.9);
    }
}
