package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatStepsTest {

    @Test
    void readsTheServersTimestampOfABroadcastWhateverItsContent() {
        assertThat(ChatSteps.broadcastTimestamp(
                "{\"type\":\"message\",\"user_id\":\"u1\",\"content\":{\"text\":[1,{\"type\":\"ack\"}]},\"timestamp\":1764390000123}"))
                .isEqualTo(1_764_390_000_123L);
        assertThat(ChatSteps.broadcastTimestamp("{\"timestamp\":42,\"content\":\"x\",\"type\":\"message\"}")).isEqualTo(42);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"message\",\"content\":\"no time\"}"))
                .as("still a delivery, counted").isZero();
    }

    @Test
    void anyOtherFrameIsNotABroadcast() {
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"ack\",\"id\":\"u1-3\",\"timestamp\":42}")).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"connected\",\"user_id\":\"u1\"}")).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":{\"nested\":\"message\"}}")).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"message\",")).as("cut short").isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("[\"message\"]")).isEqualTo(ChatSteps.NOT_A_BROADCAST);
    }
}
