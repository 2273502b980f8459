package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/** What a server started with no flags exposes: loopback only, and its state only on the admin port. */
class SafeDefaultsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ChatServer start(String... args) throws Exception {
        ChatServer server = new ChatServer(ServerSettings.parse(args, Map.of()));
        server.start();
        return server;
    }

    private static int status(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** This machine's addresses that are not loopback, IPv4 (a container's or a host's). */
    private static List<InetAddress> otherAddresses() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .toList();
    }

    @Test
    void byDefaultItListensOnLoopbackOnly() throws Exception {
        assertThat(ServerSettings.defaults().hosts()).containsExactly("127.0.0.1");
        ChatServer server = start("--port", "0", "--admin-port", "0");
        try {
            for (InetAddress address : otherAddresses()) {
                for (int port : List.of(server.port(), server.adminPort())) {
                    try (Socket socket = new Socket()) {
                        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2_000))
                                .as("%s:%d must not answer", address.getHostAddress(), port).isInstanceOf(IOException.class);
                    }
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
                assertThat(socket.isConnected()).isTrue();
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void healthAndStatsAreOnTheAdminPortOnlyAndNowhereWhenItIsOff() throws Exception {
        ChatServer server = start("--port", "0", "--admin-port", "0");
        ChatServer noAdmin = start("--port", "0", "--admin-port", "-1");
        try {
            URI webSocketPort = URI.create("http://127.0.0.1:" + server.port());
            assertThat(status(URI.create(server.adminUri() + "/stats"))).isEqualTo(200);
            assertThat(status(URI.create(webSocketPort + "/stats"))).isEqualTo(404);
            assertThat(status(URI.create(webSocketPort + "/health"))).isEqualTo(404);
            assertThat(noAdmin.adminUri()).isNull();
            assertThat(status(URI.create("http://127.0.0.1:" + noAdmin.port() + "/stats"))).isEqualTo(404);
        } finally {
            server.stop();
            noAdmin.stop();
        }
    }

    @Test
    void severalLoopbackAddressesShareOnePort() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        ChatServer server = start("--host", "127.0.0.1,127.0.0.2", "--port", String.valueOf(port), "--admin-port", "0");
        WebSocketClient client = new WebSocketClient();
        client.start();
        try {
            for (String address : List.of("127.0.0.1", "127.0.0.2")) {
                TestClient user = TestClient.connect(client, URI.create("ws://" + address + ":" + port + "/ws/via-" + address));
                assertThat(user.next("connected").path("user_id").asText()).isEqualTo("via-" + address);
            }
        } finally {
            LifeCycle.stop(client);
            server.stop();
        }
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--host", "127.0.0.1,127.0.0.2", "--port", "0"}, Map.of()))
                .hasMessageContaining("needs a --port of its own");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--host", " , "}, Map.of())).hasMessageContaining("--host needs an address");
    }
}
