package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caps on who may connect, over real sockets: total, per address, and by Origin. */
class AdmissionTest {
    private ChatServer server;
    private final WebSocketClient client = new WebSocketClient();

    private void start(String... caps) throws Exception {
        String[] args = new String[caps.length + 6];
        System.arraycopy(new String[] {"--host", "127.0.0.1", "--port", "0", "--admin-port", "0"}, 0, args, 0, 6);
        System.arraycopy(caps, 0, args, 6, caps.length);
        server = new ChatServer(ServerSettings.parse(args, Map.of()));
        server.start();
        client.start();
    }

    @AfterEach
    void stop() {
        LifeCycle.stop(client);
        if (server != null) server.stop();
    }

    private TestClient connect(WebSocketClient from, String user, ClientUpgradeRequest request) throws Exception {
        TestClient connected = TestClient.connect(from, URI.create(server.webSocketUri() + "/" + user), request);
        connected.next("connected");
        return connected;
    }

    private long refused() {
        return (long) server.stats().snapshot().get("refused_connections");
    }

    @Test
    void aConnectionOverTheCapIsRefusedWithItsReasonCountedAndTheOthersServed() throws Exception {
        start("--max-connections", "2");
        TestClient first = connect(client, "a", new ClientUpgradeRequest());
        connect(client, "b", new ClientUpgradeRequest());

        assertThatThrownBy(() -> connect(client, "c", new ClientUpgradeRequest())).hasStackTraceContaining("503");
        assertThat(refused()).isEqualTo(1);

        first.session.close();
        await().until(() -> server.stats().connections() == 1);
        connect(client, "d", new ClientUpgradeRequest());
    }

    @Test
    void oneAddressMayHoldOnlyItsShare() throws Exception {
        start("--max-connections-per-address", "1");
        HttpClient fromElsewhere = new HttpClient();
        fromElsewhere.setBindAddress(new InetSocketAddress("127.0.0.2", 0));
        WebSocketClient other = new WebSocketClient(fromElsewhere);
        other.start();
        try {
            connect(client, "a", new ClientUpgradeRequest());
            assertThatThrownBy(() -> connect(client, "b", new ClientUpgradeRequest())).hasStackTraceContaining("503");
            connect(other, "c", new ClientUpgradeRequest());
            assertThat(refused()).isEqualTo(1);
        } finally {
            LifeCycle.stop(other);
        }
    }

    @Test
    void aBrowserFromAnotherOriginIsRefusedAndAClientWithoutOneIsNot() throws Exception {
        start("--allowed-origins", "https://chat.example, https://ops.example");
        ClientUpgradeRequest allowed = new ClientUpgradeRequest();
        allowed.setHeader("Origin", "https://ops.example");
        ClientUpgradeRequest foreign = new ClientUpgradeRequest();
        foreign.setHeader("Origin", "https://evil.example");

        connect(client, "a", allowed);
        connect(client, "b", new ClientUpgradeRequest());
        assertThatThrownBy(() -> connect(client, "c", foreign)).hasStackTraceContaining("403");
        assertThat(refused()).isEqualTo(1);
    }
}
