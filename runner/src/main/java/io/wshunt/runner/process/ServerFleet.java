package io.wshunt.runner.process;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshunt.contract.Json;

/**
 * N chat server processes sharing one WebSocket port with SO_REUSEPORT, each with its own admin
 * port, and Redis between them when there is more than one.
 */
public final class ServerFleet {
    private static final String LOOPBACK = "127.0.0.1";

    /** One server process and where its /stats is. */
    public record Server(String name, Process process, URI statsUri) {
    }

    private final List<Server> servers;
    private final int port;

    private ServerFleet(List<Server> servers, int port) {
        this.servers = servers;
        this.port = port;
    }

    /** Servers on 127.0.0.1 alone. */
    public static ServerFleet start(ChildProcesses children, ServerLaunch launch, int count, String redisUri, Path logDir)
            throws IOException, InterruptedException {
        return start(children, launch, count, redisUri, logDir, List.of(LOOPBACK));
    }

    /** Servers listening on exactly these loopback addresses (the ones the injectors connect to), one port on each. */
    public static ServerFleet start(ChildProcesses children, ServerLaunch launch, int count, String redisUri, Path logDir, List<String> hosts)
            throws IOException, InterruptedException {
        int port = Ports.free();
        List<Integer> taken = new ArrayList<>(List.of(port));
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int adminPort = Ports.freeExcept(taken);
            taken.add(adminPort);
            String name = "server-" + (i + 1);
            List<String> command = launch.command();
            command.addAll(List.of("--host", String.join(",", hosts.stream().distinct().toList()), "--port", String.valueOf(port),
                    "--admin-port", String.valueOf(adminPort),
                    "--reuse-port", "true", "--node-id", name));
            // Redis through the environment, not the command line: its URI carries the run's Redis password.
            Map<String, String> env = Map.of("WSHUNT_REDIS", redisUri == null ? "" : redisUri);
            Process process = children.start(command, env, logDir.resolve(name + ".log"));
            servers.add(new Server(name, process, URI.create("http://127.0.0.1:" + adminPort + "/stats")));
        }
        ServerFleet fleet = new ServerFleet(List.copyOf(servers), port);
        fleet.awaitHealthy(logDir);
        return fleet;
    }

    private void awaitHealthy(Path logDir) throws IOException, InterruptedException {
        for (Server server : servers) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (Json.get(server.statsUri()).isEmpty()) {
                if (!server.process().isAlive() || System.nanoTime() > deadline) {
                    throw new IOException(server.name() + " did not start; see " + logDir.resolve(server.name() + ".log"));
                }
                Thread.sleep(100);
            }
        }
    }

    public int port() {
        return port;
    }

    public List<Server> servers() {
        return servers;
    }

    public String statsUrls() {
        return String.join(",", servers.stream().map(server -> server.statsUri().toString()).toList());
    }

    /** Each server's /stats now, in server order; empty for a server that does not answer. */
    public List<Optional<JsonNode>> stats() {
        return servers.stream().map(server -> Json.get(server.statsUri())).toList();
    }

    /** Every whole-number figure of every server's /stats added up, as one server's would read; empty unless all answer. */
    public Optional<JsonNode> summedStats() {
        ObjectNode sum = Json.MAPPER.createObjectNode();
        for (Optional<JsonNode> answer : stats()) {
            if (answer.isEmpty()) {
                return Optional.empty();
            }
            answer.get().fields().forEachRemaining(field -> {
                if (field.getValue().isIntegralNumber()) {
                    sum.put(field.getKey(), sum.path(field.getKey()).asLong() + field.getValue().asLong());
                }
            });
        }
        return Optional.of(sum);
    }

    /** A counter added up over the servers that answered. */
    public static long sum(List<Optional<JsonNode>> stats, String counter) {
        return stats.stream().flatMap(Optional::stream).mapToLong(node -> node.path(counter).asLong()).sum();
    }

    /** Where a client connects to the first server: {@code ws://127.0.0.1:<port>/ws}; append {@code /user_id}. */
    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public void stop(ChildProcesses children) {
        servers.forEach(server -> children.stop(server.process()));
    }
}
