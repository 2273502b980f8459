package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Map;

import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/** The deliberate regressions the gate is proven with: what a spec says, and that each path really pays it. */
class InjectedRegressionTest {

    @Test
    void aSpecNamesPathKindAndAmount() {
        InjectedRegression.Amounts amounts = InjectedRegression.read("ack.cpu=1200, delivery.alloc=64,connect.alloc=10,idle.bytes=900");

        assertThat(amounts.cpuNanos()).containsExactly(Map.entry(InjectedRegression.Path.ACK, 1200L));
        assertThat(amounts.allocBytes()).containsOnly(Map.entry(InjectedRegression.Path.DELIVERY, 64), Map.entry(InjectedRegression.Path.CONNECT, 10));
        assertThat(amounts.idleBytes()).isEqualTo(900);
        assertThat(InjectedRegression.read("").allocBytes()).isEmpty();
    }

    @Test
    void aWrongSpecIsNamedPlainly() {
        assertThatThrownBy(() -> InjectedRegression.read("ack=5")).hasMessageContaining("PATH.KIND=AMOUNT");
        assertThatThrownBy(() -> InjectedRegression.read("fire.cpu=5")).hasMessageContaining("not 'fire'");
        assertThatThrownBy(() -> InjectedRegression.read("ack.memory=5")).hasMessageContaining("not 'memory'");
        assertThatThrownBy(() -> InjectedRegression.read("ack.cpu=lots")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> InjectedRegression.read("ack.cpu=-1")).hasMessageContaining("0 to 100,000,000");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--inject", "delivery.alloc"}, Map.of())).hasMessageContaining("--inject");
    }

    @Test
    void anAllocationIsPaidOnEveryUnitAndMemoryIsHeldPerConnection() {
        InjectedRegression injected = InjectedRegression.of("ack.alloc=1000,idle.bytes=700");

        assertThat(injected.cost(InjectedRegression.Path.ACK).pay()).hasSize(1000);
        assertThat(injected.cost(InjectedRegression.Path.DELIVERY).isNone()).isTrue();
        assertThat(injected.heldPerConnection()).hasSize(700);
        assertThat(InjectedRegression.NONE.heldPerConnection()).isNull();
    }

    @Test
    void cpuWorkCostsTheCallingThreadAboutWhatWasAsked() {
        InjectedRegression injected = InjectedRegression.of("connect.cpu=200000");
        InjectedRegression.Cost connect = injected.cost(InjectedRegression.Path.CONNECT);
        long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();

        for (int i = 0; i < 500; i++) {
            connect.pay();
        }

        long perCall = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before) / 500;
        assertThat(perCall).as("CPU nanoseconds per call").isBetween(50_000L, 800_000L);
    }

    @Test
    void everyDeliveryAllocatesWhatTheSpecSaysAndStatsCountIt() throws Exception {
        ChatServer server = new ChatServer(ServerSettings.parse(
                new String[] {"--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--inject", "delivery.alloc=1000000"}, Map.of()));
        server.start();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try {
            TestClient alice = TestClient.connect(client, URI.create(server.webSocketUri() + "/alice"));
            TestClient bob = TestClient.connect(client, URI.create(server.webSocketUri() + "/bob"));
            alice.next("connected");
            bob.next("connected");
            long before = (long) server.stats().snapshot().get("allocated_bytes");

            alice.send("{\"type\":\"chat_message\",\"content\":\"hi\"}");
            alice.next("message");
            bob.next("message");

            long allocated = (long) server.stats().snapshot().get("allocated_bytes") - before;
            assertThat(allocated).as("two deliveries of a megabyte each").isGreaterThanOrEqualTo(2_000_000L);
        } finally {
            LifeCycle.stop(client);
            server.stop();
        }
    }
}
