package io.wshunt.server;

import java.util.Arrays;

/** Starts the chat server from the command line; {@code --help} lists the settings. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(ServerSettings.help());
            return;
        }
        ServerSettings settings;
        try {
            settings = ServerSettings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("wshunt-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChatServer server = new ChatServer(settings);
        server.start();
        // SIGTERM and Ctrl-C: close every session with 1001, then print what was counted.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            System.out.println("wshunt-server " + settings.nodeId() + " stopped; final counters: "
                    + Protocol.write(server.stats().snapshot()));
        }, "shutdown"));
        // The embedded server of the simulations reads this line: "listening on <ws base>/{user_id}; stats at <admin>/stats".
        System.out.println("wshunt-server " + settings.nodeId() + " listening on " + server.webSocketUri() + "/{user_id}; "
                + (server.adminUri() == null ? "no admin port" : "stats at " + server.adminUri() + "/stats")
                + (settings.hosts().size() > 1 ? " (also on " + String.join(", ", settings.hosts().subList(1, settings.hosts().size())) + ")" : ""));
        server.join();
    }
}
