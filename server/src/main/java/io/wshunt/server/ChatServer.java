package io.wshunt.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The chat server: a Jetty server with the WebSocket endpoint at {@code /ws/{user_id}} and the
 * admin endpoints, wired in one place. Construct, {@link #start()}, {@link #stop()}.
 */
public final class ChatServer {
    public static final String WEBSOCKET_PATH = "/ws";
    /** Matches /ws, /ws/ and /ws/{user_id}; a missing id gets a generated one. */
    private static final ServletPathSpec USER_PATH = new ServletPathSpec(WEBSOCKET_PATH + "/*");

    private final ServerSettings settings;
    private final ServerStats stats = new ServerStats();
    private final ConnectedSessions sessions;
    private final Broadcast broadcast;
    private final InjectedRegression injected;
    private final Admission admission;
    private final Server server = new Server();
    /** One per --host address, all on one port. */
    private final List<ServerConnector> connectors = new ArrayList<>();
    private final ServerConnector adminConnector;

    public ChatServer(ServerSettings settings) {
        this.settings = settings;
        this.injected = InjectedRegression.of(settings.inject());
        this.admission = new Admission(settings, stats);
        this.sessions = new ConnectedSessions(stats, settings.fanOutThreads(), injected.cost(InjectedRegression.Path.DELIVERY));
        this.broadcast = settings.hasRedis()
                ? new RedisBroadcast(URI.create(settings.redisUri()), sessions, stats)
                : Broadcast.local(sessions);
        int selectorsPerAddress = Math.max(1, settings.selectors() / settings.hosts().size());
        for (String host : settings.hosts()) {
            ServerConnector connector = configured(webSocketConnector(selectorsPerAddress), host, settings.port());
            connector.setReusePort(settings.reusePort());
            server.addConnector(connector);
            connectors.add(connector);
        }
        if (settings.adminPort() >= 0) {
            adminConnector = configured(new ServerConnector(server), settings.hosts().get(0), settings.adminPort());
            server.addConnector(adminConnector);
        } else {
            adminConnector = null;
        }
        stats.countOpenSocketsWith(() -> connectors.stream().mapToInt(connector -> connector.getConnectedEndPoints().size()).sum());
        WebSocketUpgradeHandler websocket = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        configure(websocket.getConfiguration());
        websocket.addMapping(USER_PATH, (WebSocketNegotiator) this::createEndpoint);
        // /health and /stats tell the pid, memory and open files: only the admin connector serves them.
        server.setHandler(new Handler.Sequence(new AdminHandler(settings.nodeId(), stats, adminConnector), websocket));
        server.setStopTimeout(5_000);
    }

    /**
     * The users' connector on one address: its selector threads accept, read and handle what they
     * read themselves ({@link SelectorThreadExecutor}), with no acceptor threads of its own.
     */
    private ServerConnector webSocketConnector(int selectors) {
        return new ServerConnector(server, new SelectorThreadExecutor(server.getThreadPool()), null, null, 0, selectors, new HttpConnectionFactory());
    }

    private ServerConnector configured(ServerConnector created, String host, int port) {
        created.setHost(host);
        created.setPort(port);
        created.setAcceptQueueSize(settings.acceptQueue());
        // Before its upgrade a connection has the HTTP idle timeout (Jetty's is 30 s): under a connect
        // backlog, a handshake can wait longer than that and must not be closed for it.
        created.setIdleTimeout(settings.idleTimeout().toMillis());
        return created;
    }

    private void configure(Configuration configuration) {
        configuration.setIdleTimeout(settings.idleTimeout());
        configuration.setMaxTextMessageSize(settings.maxMessageBytes());
        configuration.setMaxBinaryMessageSize(settings.maxMessageBytes());
        configuration.setMaxOutgoingFrames(settings.maxQueuedFrames());
    }

    private FrameHandler createEndpoint(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        Optional<Admission.Refusal> refusal = admission.check(request);
        if (refusal.isPresent()) {
            Response.writeError(request, response, callback, refusal.get().status(), refusal.get().reason());
            return null;
        }
        if (!settings.compression()) {
            // Jetty accepts permessage-deflate whenever a client offers it (Gatling always does).
            response.setExtensions(List.of());
        }
        return new ChatEndpoint(userId(request), admission.addressToCount(request), sessions, broadcast, stats, injected, admission);
    }

    private static String userId(Request request) {
        String rest = USER_PATH.getPathInfo(Request.getPathInContext(request));
        String id = rest == null ? "" : rest.replaceFirst("^/", "");
        return id.isBlank() ? "anon-" + UUID.randomUUID() : id;
    }

    public void start() throws Exception {
        if (broadcast instanceof RedisBroadcast redis) {
            redis.start();
        }
        server.start();
    }

    /** Closes every session with 1001 (going away) and stops accepting. */
    public void stop() {
        sessions.closeAll(Duration.ofSeconds(2));
        try {
            broadcast.close();
        } catch (Exception e) {
            // The broadcast's own failure must not keep the server from stopping.
        }
        LifeCycle.stop(server);
    }

    public void join() throws InterruptedException {
        server.join();
    }

    public int port() {
        return connectors.get(0).getLocalPort();
    }

    public int adminPort() {
        return adminConnector == null ? -1 : adminConnector.getLocalPort();
    }

    /** The WebSocket base URI, for example {@code ws://127.0.0.1:8080/ws}; append {@code /user_id}. */
    public URI webSocketUri() {
        return URI.create("ws://" + reachableHost() + ":" + port() + WEBSOCKET_PATH);
    }

    /** Where {@code /health} and {@code /stats} of this process are served; null when the admin port is off. */
    public URI adminUri() {
        return adminConnector == null ? null : URI.create("http://" + reachableHost() + ":" + adminPort());
    }

    public ServerStats stats() {
        return stats;
    }

    public ServerSettings settings() {
        return settings;
    }

    private String reachableHost() {
        String host = settings.hosts().get(0);
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }
}
