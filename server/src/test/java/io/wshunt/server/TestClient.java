package io.wshunt.server;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/** A real WebSocket client over a real socket that keeps what it receives for the test to read. */
public final class TestClient implements Session.Listener.AutoDemanding {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    Session session;

    static TestClient connect(WebSocketClient client, URI uri) throws Exception {
        return connect(client, uri, new ClientUpgradeRequest());
    }

    static TestClient connect(WebSocketClient client, URI uri, ClientUpgradeRequest request) throws Exception {
        TestClient listener = new TestClient();
        listener.session = client.connect(listener, uri, request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return listener;
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            received.add(JSON.readTree(message));
        } catch (Exception e) {
            throw new IllegalStateException("server sent invalid JSON: " + message, e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeCode.complete(statusCode);
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** One text message in as many frames as parts; Jetty writes queued frames in order. */
    void sendInFrames(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            session.sendPartialText(parts[i], i == parts.length - 1, Callback.NOOP);
        }
    }

    /** A text frame with exactly these bytes, even when they are not UTF-8 (Jetty's API only sends Strings). */
    void sendRawText(byte[] bytes) {
        ((WebSocketSession) session).getCoreSession()
                .sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(bytes)), org.eclipse.jetty.util.Callback.NOOP, false);
    }

    void sendBinary(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** The next message, failing the test if none comes in time. */
    JsonNode next() throws InterruptedException {
        JsonNode message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + WAIT);
        }
        return message;
    }

    /** The next message of the given type, skipping others (such as broadcasts). */
    JsonNode next(String type) throws InterruptedException {
        JsonNode message;
        do {
            message = next();
        } while (!type.equals(message.path("type").asText()));
        return message;
    }

    int awaitClose() throws Exception {
        return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
