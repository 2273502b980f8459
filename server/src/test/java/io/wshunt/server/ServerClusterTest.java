package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Several server processes' worth of servers: one port shared with SO_REUSEPORT, broadcasts carried by a real Redis. */
class ServerClusterTest {
    private final List<ChatServer> servers = new ArrayList<>();
    private RedisProcess redis;
    private WebSocketClient client;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        client = new WebSocketClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        LifeCycle.stop(client);
        servers.forEach(ChatServer::stop);
        if (redis != null) {
            redis.close(); // null when there was no Redis to start: the test already failed saying so
        }
    }

    private ChatServer server(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--admin-port", "0"));
        args.addAll(List.of(flags));
        ChatServer server = new ChatServer(ServerSettings.parse(args.toArray(String[]::new), Map.of()));
        server.start();
        servers.add(server);
        return server;
    }

    private static TestClient connect(WebSocketClient client, ChatServer server, String userId) throws Exception {
        TestClient user = TestClient.connect(client, URI.create(server.webSocketUri() + "/" + userId));
        user.next("connected");
        return user;
    }

    @Test
    void aBroadcastReachesUsersOnEveryServer() throws Exception {
        ChatServer a = server("--port", "0", "--redis", redis.uri(), "--node-id", "a");
        ChatServer b = server("--port", "0", "--redis", redis.uri(), "--node-id", "b");
        TestClient alice = connect(client, a, "alice");
        TestClient bob = connect(client, b, "bob");

        alice.send("{\"type\":\"chat_message\",\"content\":\"across\"}");

        for (TestClient user : List.of(alice, bob)) {
            JsonNode message = user.next("message");
            assertThat(message.path("user_id").asText()).isEqualTo("alice");
            assertThat(message.path("content").asText()).isEqualTo("across");
        }
        await().untilAsserted(() -> {
            assertThat(a.stats().snapshot()).containsEntry("chat_messages", 1L).containsEntry("deliveries", 1L);
            assertThat(b.stats().snapshot()).containsEntry("chat_messages", 0L).containsEntry("deliveries", 1L);
        });
    }

    @Test
    void serversShareOnePortWithReusePort() throws Exception {
        ChatServer a = server("--port", "0", "--reuse-port", "true", "--node-id", "a");
        ChatServer b = server("--port", String.valueOf(a.port()), "--reuse-port", "true", "--node-id", "b");
        assertThat(b.port()).isEqualTo(a.port());

        List<TestClient> users = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            users.add(connect(client, a, "u" + i));
        }
        await().untilAsserted(() -> assertThat(a.stats().connections() + b.stats().connections()).isEqualTo(32));
        assertThat(a.stats().connections()).as("the kernel spreads connections over both").isPositive();
        assertThat(b.stats().connections()).isPositive();
    }

    @Test
    void keepsServingItsOwnUsersWhenRedisGoesAway() throws Exception {
        ChatServer a = server("--port", "0", "--redis", redis.uri());
        TestClient alice = connect(client, a, "alice");
        redis.close();

        alice.send("{\"type\":\"chat_message\",\"content\":\"still here\"}");

        assertThat(alice.next("message").path("content").asText()).isEqualTo("still here");
        assertThat((long) a.stats().snapshot().get("backplane_errors")).isPositive();
        connect(client, a, "bob");
    }

    @Test
    void aSlowRedisNeverHoldsAJettyThread() throws Exception {
        ChatServer a = server("--port", "0", "--redis", redis.uri());
        TestClient alice = connect(client, a, "alice");
        try (Jedis jedis = new Jedis(URI.create(redis.uri()))) {
            jedis.clientPause(2_000); // Redis answers no client for 2 s
        }

        long sent = System.nanoTime();
        alice.send("{\"type\":\"chat_message\",\"content\":\"while redis sleeps\"}");
        alice.send("{\"type\":\"benchmark_test\",\"id\":\"after-the-chat\",\"content\":\"x\"}");
        assertThat(alice.next("ack").path("id").asText()).isEqualTo("after-the-chat");
        long ackMillis = (System.nanoTime() - sent) / 1_000_000;

        assertThat(ackMillis).as("the ack behind a chat message waits for no Redis publish").isLessThan(1_000);
        assertThat(alice.next("message").path("content").asText()).as("and the chat message still arrives").isEqualTo("while redis sleeps");
    }
}
