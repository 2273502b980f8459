package io.wshunt.runner.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import io.wshunt.contract.Profile;
import org.junit.jupiter.api.Test;

class ProbeProtocolTest {
    @Test
    void wshuntsOwnProtocolIsToldByPrefixAndConnectsUnderWs() {
        ProbeProtocol wshunt = ProbeProtocol.WSHUNT;
        assertThat(wshunt.uri(URI.create("ws://127.0.0.1:8080/ws"), "probe-3")).isEqualTo(URI.create("ws://127.0.0.1:8080/ws/probe-3"));
        assertThat(wshunt.isAck("{\"type\":\"ack\",\"id\":1}")).isTrue();
        assertThat(wshunt.broadcastsIn("{\"type\":\"message\",\"content\":\"x\"}")).isOne();
        assertThat(wshunt.broadcastsIn("{\"type\":\"connected\"}")).isZero();
        assertThat(wshunt.cannotProbe()).isEmpty();
    }

    @Test
    void aHubThatBatchesBroadcastsOnePerLineHasEachCountedAndNoAck() {
        ProbeProtocol hub = ProbeProtocol.of(Profile.load("broadcast-hub"));
        String chat = hub.chat();
        assertThat(chat).doesNotContain("#{").contains("\"content\":\"probe\"");
        assertThat(hub.broadcastsIn(chat + "\n" + chat + "\n" + chat)).isEqualTo(3);
        assertThat(hub.broadcastsIn("not json")).isZero();
        assertThat(hub.acked()).isNull();
        assertThat(hub.fire()).isNull();
        assertThat(hub.uri(URI.create("ws://127.0.0.1:8090"), "probe-1")).isEqualTo(URI.create("ws://127.0.0.1:8090/ws?user=probe-1"));
    }

    @Test
    void anEchoIsItsOwnAckAndAChannelServerThatNeedsAJoinCannotBeProbed() {
        ProbeProtocol echo = ProbeProtocol.of(Profile.load("echo"));
        assertThat(echo.isAck(echo.acked())).isTrue();
        assertThat(echo.isAck("{\"type\":\"other\"}")).isFalse();
        assertThat(ProbeProtocol.of(Profile.load("phoenix")).cannotProbe()).hasValueSatisfying(why -> assertThat(why).contains("needs a join"));
    }
}
