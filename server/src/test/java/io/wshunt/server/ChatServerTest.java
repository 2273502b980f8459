package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatServer server;
    private WebSocketClient client;

    @BeforeEach
    void start() throws Exception {
        startServer(ServerSettings.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--admin-port", "0"}, Map.of()));
        client = new WebSocketClient();
        client.start();
    }

    private void startServer(ServerSettings settings) throws Exception {
        if (server != null) {
            server.stop();
        }
        server = new ChatServer(settings);
        server.start();
    }

    @AfterEach
    void stop() {
        LifeCycle.stop(client);
        server.stop();
    }

    private TestClient connect(String userId) throws Exception {
        TestClient user = TestClient.connect(client, URI.create(server.webSocketUri() + "/" + userId));
        assertThat(user.next("connected").path("user_id").asText()).isEqualTo(userId);
        return user;
    }

    @Test
    void welcomesEachUserByTheIdInThePath() throws Exception {
        TestClient alice = TestClient.connect(client, URI.create(server.webSocketUri() + "/alice"));
        JsonNode welcome = alice.next();
        assertThat(welcome.path("type").asText()).isEqualTo("connected");
        assertThat(welcome.path("user_id").asText()).isEqualTo("alice");
        assertThat(welcome.path("timestamp").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(10_000L));
    }

    @Test
    void givesAUserWithoutAnIdAGeneratedOne() throws Exception {
        TestClient first = TestClient.connect(client, server.webSocketUri());
        TestClient second = TestClient.connect(client, URI.create(server.webSocketUri() + "/"));
        String firstId = first.next("connected").path("user_id").asText();
        String secondId = second.next("connected").path("user_id").asText();
        assertThat(firstId).isNotBlank().isNotEqualTo(secondId);
    }

    @Test
    void acksABenchmarkMessageThatCarriesAnIdAndCountsEveryOne() throws Exception {
        TestClient alice = connect("alice");
        alice.send("{\"type\":\"benchmark_test\",\"id\":\"m-1\",\"content\":\"x\"}");
        alice.send("{\"type\":\"benchmark_test\",\"content\":\"no ack wanted\"}");
        alice.send("{\"type\":\"benchmark_test\",\"id\":42,\"content\":\"x\"}");

        assertThat(alice.next().path("id").asText()).isEqualTo("m-1");
        JsonNode second = alice.next();
        assertThat(second.path("type").asText()).isEqualTo("ack");
        assertThat(second.path("id").isInt()).isTrue();
        assertThat(second.path("id").asInt()).isEqualTo(42);
        await().untilAsserted(() -> assertThat(server.stats().snapshot())
                .containsEntry("benchmark_messages", 3L)
                .containsEntry("acks", 2L));
    }

    @Test
    void broadcastsAChatMessageToEveryUserTheSenderIncluded() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");

        alice.send("{\"type\":\"chat_message\",\"content\":\"hello bob\"}");
        bob.send("{\"type\":\"chat_message\",\"content\":{\"text\":\"hi alice\"}}");

        for (TestClient user : new TestClient[] {alice, bob}) {
            Map<String, JsonNode> bySender = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonNode message = user.next("message");
                bySender.put(message.path("user_id").asText(), message);
            }
            assertThat(bySender).containsOnlyKeys("alice", "bob");
            assertThat(bySender.get("alice").path("content").asText()).isEqualTo("hello bob");
            assertThat(bySender.get("alice").path("timestamp").asLong()).isPositive();
            assertThat(bySender.get("bob").path("content").path("text").asText()).isEqualTo("hi alice");
        }
        await().untilAsserted(() -> assertThat(server.stats().snapshot())
                .containsEntry("chat_messages", 2L)
                .containsEntry("deliveries", 4L)
                .containsEntry("deliveries_dropped", 0L));
    }

    @Test
    void fansBroadcastsOutOverSeveralThreadsToEveryUserOnceAndInOrder() throws Exception {
        startServer(ServerSettings.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--admin-port", "0",
                "--fan-out-threads", "4"}, Map.of()));
        java.util.List<TestClient> users = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            users.add(connect("u" + i));
        }
        int broadcasts = 50;
        for (int n = 0; n < broadcasts; n++) {
            users.get(0).send("{\"type\":\"chat_message\",\"content\":\"" + n + "\"}");
        }
        for (TestClient user : users) {
            for (int n = 0; n < broadcasts; n++) {
                assertThat(user.next("message").path("content").asText()).isEqualTo(String.valueOf(n));
            }
        }
        await().untilAsserted(() -> assertThat(server.stats().snapshot())
                .containsEntry("deliveries", (long) users.size() * broadcasts)
                .containsEntry("deliveries_dropped", 0L)
                // Each broadcast once per lane, with its time from hand-over to the end of the lane's pass.
                .containsEntry("fan_outs", 4L * broadcasts));
        assertThat((long) server.stats().snapshot().get("fan_out_us")).isPositive();
    }

    @Test
    void givesAConnectionThatHasNotUpgradedYetTheConfiguredIdleTimeoutRatherThanJettys30Seconds() throws Exception {
        startServer(ServerSettings.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--idle-timeout", "1"}, Map.of()));
        try (Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.setSoTimeout(10_000); // Jetty's own 30 s would end the read with a timeout

            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void countsSocketsThatNeverUpgradeApartFromConnections() throws Exception {
        connect("upgraded");
        try (Socket half = new Socket("127.0.0.1", server.port()); Socket silent = new Socket("127.0.0.1", server.port())) {
            half.getOutputStream().write("GET /ws/half HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

            await().untilAsserted(() -> assertThat(server.stats().snapshot()).containsEntry("open_sockets", 3).containsEntry("connections", 1));
        }
        await().untilAsserted(() -> assertThat(server.stats().snapshot()).containsEntry("open_sockets", 1));
    }

    @Test
    void answersBadJsonAndUnknownTypesWithAnErrorAndKeepsTheConnection() throws Exception {
        TestClient alice = connect("alice");
        alice.send("{not json");
        alice.send("[1,2]");
        alice.send("{\"content\":\"no type\"}");
        alice.send("{\"type\":\"teleport\"}");
        alice.send("{\"type\":\"chat_message\"}");
        alice.send("{\"type\":\"benchmark_test\",\"id\":\"cut\",");
        alice.send("{\"type\":{\"type\":\"benchmark_test\"},\"id\":1}");
        alice.send("{\"type\":\"benchmark_test\",\"id\":\"still-here\"}");

        assertThat(alice.next().path("reason").asText()).startsWith("malformed JSON");
        assertThat(alice.next().path("reason").asText()).isEqualTo("a message must be a JSON object");
        assertThat(alice.next().path("reason").asText()).isEqualTo("missing \"type\"");
        assertThat(alice.next().path("reason").asText()).isEqualTo("unknown type \"teleport\"");
        assertThat(alice.next().path("reason").asText()).isEqualTo("chat_message needs a \"content\"");
        assertThat(alice.next().path("reason").asText()).startsWith("malformed JSON");
        assertThat(alice.next().path("reason").asText()).isEqualTo("missing \"type\"");
        assertThat(alice.next().path("id").asText()).isEqualTo("still-here");
        assertThat(server.stats().snapshot()).containsEntry("errors", 7L);
    }

    @Test
    void readsAMessageSentInSeveralFramesAsOne() throws Exception {
        TestClient alice = connect("alice");
        alice.sendInFrames("{\"type\":\"benchmark_", "test\",\"id\":", "\"in-three\"}");
        alice.send("{\"type\":\"benchmark_test\",\"id\":\"whole\"}");

        assertThat(alice.next().path("id").asText()).isEqualTo("in-three");
        assertThat(alice.next().path("id").asText()).isEqualTo("whole");
        assertThat(server.stats().snapshot()).containsEntry("benchmark_messages", 2L).containsEntry("errors", 0L);
    }

    @Test
    void closesAMessageWhoseFramesTogetherAreTooLargeWith1009() throws Exception {
        TestClient alice = connect("alice");
        String half = "x".repeat(server.settings().maxMessageBytes() / 2 + 1);
        alice.sendInFrames("{\"type\":\"chat_message\",\"content\":\"", half, half, "\"}");

        assertThat(alice.awaitClose()).isEqualTo(StatusCode.MESSAGE_TOO_LARGE);
        await().untilAsserted(() -> assertThat(server.stats().snapshot())
                .containsEntry("rejected_frames", 1L)
                .containsEntry("chat_messages", 0L));
    }

    @Test
    void answersTextThatIsNotUtf8WithAnErrorAndKeepsTheConnection() throws Exception {
        TestClient alice = connect("alice");
        alice.sendRawText(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        alice.send("{\"type\":\"benchmark_test\",\"id\":\"still-here\"}");

        assertThat(alice.next().path("reason").asText()).startsWith("malformed JSON").contains("UTF-8");
        assertThat(alice.next().path("id").asText()).isEqualTo("still-here");
    }

    @Test
    void closesABinaryFrameWith1003AndServesEveryoneElse() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");
        alice.sendBinary(new byte[] {1, 2, 3});

        assertThat(alice.awaitClose()).isEqualTo(StatusCode.BAD_DATA);
        bob.send("{\"type\":\"benchmark_test\",\"id\":\"after\"}");
        assertThat(bob.next("ack").path("id").asText()).isEqualTo("after");
        await().untilAsserted(() -> assertThat(server.stats().connections()).isEqualTo(1));
    }

    @Test
    void closesAnOversizedMessageWith1009() throws Exception {
        TestClient alice = connect("alice");
        alice.send("{\"type\":\"chat_message\",\"content\":\"" + "x".repeat(server.settings().maxMessageBytes()) + "\"}");

        assertThat(alice.awaitClose()).isEqualTo(StatusCode.MESSAGE_TOO_LARGE);
        connect("bob");
        await().untilAsserted(() -> assertThat(server.stats().snapshot())
                .containsEntry("connections", 1)
                .containsEntry("rejected_frames", 1L)
                .containsEntry("chat_messages", 0L));
    }

    @Test
    void refusesPermessageDeflateUnlessTurnedOn() throws Exception {
        ClientUpgradeRequest offer = new ClientUpgradeRequest();
        offer.addExtensions("permessage-deflate");
        Session plain = TestClient.connect(client, URI.create(server.webSocketUri() + "/a"), offer).session;
        assertThat(plain.getUpgradeResponse().getExtensions()).isEmpty();

        startServer(ServerSettings.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--compression", "true"}, Map.of()));
        Session compressed = TestClient.connect(client, URI.create(server.webSocketUri() + "/b"), offer).session;
        assertThat(compressed.getUpgradeResponse().getExtensions())
                .extracting(extension -> extension.getName()).containsExactly("permessage-deflate");
    }

    @Test
    void servesHealthAndStatsOnTheAdminPort() throws Exception {
        connect("alice").send("{\"type\":\"benchmark_test\",\"id\":1}");
        await().until(() -> server.stats().snapshot().get("acks").equals(1L));

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.adminUri() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(server.adminUri() + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(server.adminPort()).isNotEqualTo(server.port());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
        JsonNode counters = JSON.readTree(stats.body());
        assertThat(counters.path("connections").asInt()).isEqualTo(1);
        assertThat(counters.path("peak_connections").asInt()).isEqualTo(1);
        assertThat(counters.path("benchmark_messages").asLong()).isEqualTo(1);
        assertThat(counters.path("acks").asLong()).isEqualTo(1);
        assertThat(counters.path("uptime_ms").asLong()).isNotNegative();
        assertThat(counters.has("deliveries_dropped")).isTrue();
    }

    @Test
    void leaksNoSessionWhenClientsLeave() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");
        alice.session.close();
        bob.session.disconnect();

        await().untilAsserted(() -> assertThat(server.stats().snapshot())
                .containsEntry("connections", 0)
                .containsEntry("peak_connections", 2)
                .containsEntry("connects", 2L)
                .containsEntry("disconnects", 2L));
    }

    @Test
    void dropsAndCountsDeliveriesToAConsumerThatDoesNotRead() throws Exception {
        startServer(server.settings().withPorts(0, 0).withMaxQueuedFrames(64));
        int messages = 400;
        try (Socket stalled = StalledReader.connect(server.webSocketUri())) {
            await().until(() -> server.stats().connections() == 1);
            TestClient reader = connect("reader");
            // Far more bytes (24 MB) than the stalled reader's socket buffers and 64 queued frames can hold.
            String chat = "{\"type\":\"chat_message\",\"content\":\"" + "x".repeat(60_000) + "\"}";
            // The reader reads each batch before sending the next, so it is never more than a batch behind.
            int batch = 10;
            for (int sent = 0; sent < messages; sent += batch) {
                for (int i = 0; i < batch; i++) {
                    reader.send(chat);
                }
                for (int i = 0; i < batch; i++) {
                    reader.next("message");
                }
            }
            assertThat((long) server.stats().snapshot().get("deliveries_dropped")).isPositive();
            connect("newcomer");
        }
        // Once the stalled reader is gone, what was still queued for it is dropped too: every delivery is accounted for.
        await().untilAsserted(() -> {
            Map<String, Object> stats = server.stats().snapshot();
            assertThat((long) stats.get("deliveries") + (long) stats.get("deliveries_dropped")).isEqualTo(2L * messages);
        });
    }

    @Test
    void closesEverySessionWith1001OnShutdown() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");
        server.stop();
        assertThat(alice.awaitClose()).isEqualTo(StatusCode.SHUTDOWN);
        assertThat(bob.awaitClose()).isEqualTo(StatusCode.SHUTDOWN);
    }

}
