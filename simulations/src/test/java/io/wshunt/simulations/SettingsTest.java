package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings with(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return Settings.from(properties);
    }

    @Test
    void defaultsFitAnUntunedLaptop() {
        Settings settings = with();
        assertThat(settings.users()).isEqualTo(1000);
        assertThat(settings.target()).isEmpty();
        assertThat(settings.acked()).isTrue();
        assertThat(settings.rampDuration()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void rampIsWholeSecondsAndNeverZero() {
        assertThat(with("users", "10", "connectRate", "250").rampDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(with("users", "1001", "connectRate", "250").rampDuration()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aChatStepOfDeliveriesIsThatOverTheUsersInChatMessagesSpreadOverTheSenders() {
        // 4 users, 2 senders: 8 deliveries/s are 2 chat messages/s, a gap of 1 s per sender; then 16/s, a gap of 0.5 s.
        Settings settings = with("users", "4", "chatSenders", "2", "chatSteps", "8,16", "stepSeconds", "10");

        assertThat(settings.nextChatSlot(Duration.ZERO, 0)).contains(Duration.ZERO);
        assertThat(settings.nextChatSlot(Duration.ZERO, 1)).as("half a gap after the first sender").contains(Duration.ofMillis(500));
        assertThat(settings.nextChatSlot(Duration.ofMillis(501), 1)).contains(Duration.ofMillis(1_500));
        assertThat(settings.nextChatSlot(Duration.ofMillis(10_001), 1)).contains(Duration.ofMillis(10_250));
        assertThat(settings.nextChatSlot(Duration.ofMillis(19_751), 1)).as("past the last step").isEmpty();
        assertThat(settings.chatLadderEnd()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theConnectLadderConnectsEveryUserTheLastStepTakingTheRest() {
        Settings settings = with("users", "100", "chatSenders", "1", "connectSteps", "2,5,4", "stepSeconds", "3");

        assertThat(settings.connectStepUsers()).containsExactly(6, 15, 79);
        assertThat(settings.connectStepDurations().get(2)).as("79 users at 4/s, to the millisecond")
                .isEqualTo(Duration.ofMillis(19_750));
        assertThat(settings.rampDuration()).as("3 s, 3 s, then 19.75 s, in whole seconds").isEqualTo(Duration.ofSeconds(26));
        assertThat(with("users", "10", "chatSenders", "1", "connectSteps", "2,5,4", "stepSeconds", "3").connectStepUsers())
                .as("a ladder its users cannot fill is cut short").containsExactly(6, 4);
    }

    @Test
    void aStepsNewRateHoldsFromItsStartEvenWhenOneUsersGapIsLongerThanTheStep() {
        // 4 users: 2 msg/s in all for 10 s (a gap of 2 s each), then 1 msg/s (a gap of 4 s, phases 0, 1, 2, 3 s).
        Settings settings = with("users", "4", "chatSenders", "1", "enduranceSteps", "2,1", "stepSeconds", "10");

        assertThat(settings.nextStepSlot(Duration.ZERO, 1)).contains(Duration.ofMillis(500));
        assertThat(settings.nextStepSlot(Duration.ofMillis(501), 1)).contains(Duration.ofMillis(2_500));
        assertThat(settings.nextStepSlot(Duration.ofMillis(8_501), 1)).as("the next slot of step one would be 10.5 s: step two's first")
                .contains(Duration.ofMillis(11_000));
        assertThat(settings.nextStepSlot(Duration.ofMillis(13_001), 3)).contains(Duration.ofMillis(17_000));
        assertThat(settings.nextStepSlot(Duration.ofMillis(17_001), 3)).as("21 s is past the last step").isEmpty();
        long slotsInStepTwo = java.util.stream.IntStream.range(0, 4).mapToLong(user -> {
            long count = 0;
            for (var slot = settings.nextStepSlot(Duration.ofSeconds(10), user); slot.isPresent();
                 slot = settings.nextStepSlot(slot.get().plusNanos(1), user)) count++;
            return count;
        }).sum();
        assertThat(slotsInStepTwo).as("1 msg/s for 10 s").isEqualTo(10);
    }

    @Test
    void burstSendersAreSpreadEvenlyOverTheRunsUsersWhicheverInjectorHoldsThem() {
        // 10 users on two injectors of 5, 4 senders in all: each injector decides from the users' ids alone.
        Settings first = with("users", "5", "clusterUsers", "10", "chatSenders", "1", "burstSenders", "4", "messagesPerUser", "3");
        Settings second = with("users", "5", "clusterUsers", "10", "chatSenders", "1", "userIdOffset", "5", "burstSenders", "4", "messagesPerUser", "3");

        List<Integer> senders = new ArrayList<>();
        IntStream.range(0, 5).filter(first::sendsBurst).forEach(senders::add);
        IntStream.range(0, 5).filter(second::sendsBurst).forEach(index -> senders.add(5 + index));
        assertThat(senders).containsExactly(2, 4, 7, 9);
        assertThat(first.clusterBurstMessages()).isEqualTo(12);
        Settings everyone = with("users", "5", "chatSenders", "1");
        assertThat(IntStream.range(0, 5).allMatch(everyone::sendsBurst)).as("0: every user").isTrue();
        assertThatThrownBy(() -> with("users", "5", "chatSenders", "1", "burstSenders", "6")).hasMessageContaining("burstSenders must be between 0 (every user) and the run's users (5)");
    }

    @Test
    void paceSpreadsTheTargetRateOverAllUsers() {
        assertThat(with("users", "50000", "enduranceRate", "50000").endurancePace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(with("users", "1000", "enduranceRate", "4000").endurancePace()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theChatSendersOfEveryInjectorSpreadOverOneInterval() {
        // 4 senders over 3 injectors: 2, 1 and 1, at a quarter of the interval apart.
        assertThat(with("users", "100", "chatSenders", "2", "clusterChatSenders", "4", "chatSenderOffset", "0", "chatIntervalMillis", "3000")
                .chatSenderStart(1)).isEqualTo(Duration.ofMillis(750));
        assertThat(with("users", "100", "chatSenders", "1", "clusterChatSenders", "4", "chatSenderOffset", "3", "chatIntervalMillis", "3000")
                .chatSenderStart(0)).isEqualTo(Duration.ofMillis(2250));
        assertThat(with("users", "100", "chatSenders", "3", "chatIntervalMillis", "300").chatSenderStart(2)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refusesWhatCannotRunBeforeAnyLoad() {
        assertThatThrownBy(() -> with("users", "0", "mode", "burst", "chatSenders", "-1"))
                .hasMessageContaining("users must be at least 1")
                .hasMessageContaining("mode must be 'ack' or 'fire'")
                .hasMessageContaining("chatSenders");
        assertThatThrownBy(() -> with("users", "lots")).hasMessage("-Dusers takes a whole number, not 'lots'");
        assertThatThrownBy(() -> with("target", "http://x:1/ws")).hasMessageContaining("target must look like ws://host:port");
        assertThatThrownBy(() -> with("chatSenders", "2", "clusterChatSenders", "3", "chatSenderOffset", "2"))
                .hasMessageContaining("chat senders (2 to 4) must be among the run's 3");
    }

    @Test
    void bannerShowsEverySettingThatShapesTheRun() {
        String banner = with("users", "1234", "mode", "fire").banner("MessageThroughput");
        assertThat(banner).contains("MessageThroughput", "1234", "fire", "enduranceRate", "chatSenders");
    }
}
