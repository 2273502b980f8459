package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.wshunt.contract.Profile;
import org.junit.jupiter.api.Test;

class ChatStepsTest {
    private static final Profile.Chat WSHUNT = Profile.load("wshunt").chat();
    private static final Profile.Chat HUB = Profile.load("broadcast-hub").chat();

    @Test
    void readsTheServersTimestampOfABroadcastWhateverItsContent() {
        assertThat(ChatSteps.broadcastTimestamp(
                "{\"type\":\"message\",\"user_id\":\"u1\",\"content\":{\"text\":[1,{\"type\":\"ack\"}]},\"timestamp\":1764390000123}", WSHUNT))
                .isEqualTo(1_764_390_000_123L);
        assertThat(ChatSteps.broadcastTimestamp("{\"timestamp\":42,\"content\":\"x\",\"type\":\"message\"}", WSHUNT)).isEqualTo(42);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"message\",\"content\":\"no time\"}", WSHUNT))
                .as("still a delivery, counted").isZero();
    }

    @Test
    void anyOtherFrameIsNotABroadcast() {
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"ack\",\"id\":\"u1-3\",\"timestamp\":42}", WSHUNT)).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"connected\",\"user_id\":\"u1\"}", WSHUNT)).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":{\"nested\":\"message\"}}", WSHUNT)).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"message\",", WSHUNT)).as("cut short").isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(ChatSteps.broadcastTimestamp("[\"message\"]", WSHUNT)).isEqualTo(ChatSteps.NOT_A_BROADCAST);
    }

    @Test
    void aHubsBroadcastIsTheChatMessageItselfTimedByTheSender() {
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"chat_message\",\"content\":\"u3-1\",\"sent_at\":1764390000999}", HUB))
                .isEqualTo(1_764_390_000_999L);
        assertThat(ChatSteps.broadcastTimestamp("{\"type\":\"message\",\"timestamp\":42}", HUB)).isEqualTo(ChatSteps.NOT_A_BROADCAST);
    }
}
