package io.wshunt.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the server. Each comes from a command-line flag ({@code --port 8080} or
 * {@code --port=8080}), else from an environment variable ({@code WSHUNT_PORT}), else a default.
 */
public record ServerSettings(
        String host,
        int port,
        int adminPort,
        Duration idleTimeout,
        int maxMessageBytes,
        int maxQueuedFrames,
        int acceptQueue,
        int fanOutThreads,
        int selectors,
        boolean compression,
        boolean reusePort,
        String redisUri,
        int maxConnections,
        int maxConnectionsPerAddress,
        List<String> allowedOrigins,
        String inject,
        String nodeId) {

    /** One flag: its name, environment variable, default and meaning, as {@code --help} prints them. */
    record Option(String flag, String defaultValue, String help) {
        String envName() {
            return "WSHUNT_" + flag.toUpperCase().replace('-', '_');
        }
    }

    static final List<Option> OPTIONS = List.of(
            new Option("host", "127.0.0.1", "address(es) to listen on, comma-separated (one port on each); loopback unless told otherwise, 0.0.0.0 for every interface"),
            new Option("port", "8080", "WebSocket port (0 picks a free one)"),
            new Option("admin-port", "8081", "port for GET /health and /stats of this process, on the first --host (0 picks a free one, -1 turns them off); never served on --port"),
            new Option("idle-timeout", "3600", "seconds a silent connection stays open, before its upgrade too (Jetty's own default is 30)"),
            new Option("max-message-bytes", "65536", "largest text message accepted; a larger one is closed with 1009"),
            new Option("max-queued-frames", "1024", "outgoing frames queued per connection before deliveries to it are dropped and counted"),
            new Option("accept-queue", "4096", "listen backlog for connections not yet accepted (the kernel caps it at net.core.somaxconn; Java's default is 50)"),
            new Option("fan-out-threads", "0", "threads that write one broadcast to the users, each to its share of them (0: one per core)"),
            new Option("selectors", "0", "threads that read the WebSocket connections and handle what they read themselves, shared by the --host addresses, at least one each (0: one per core)"),
            new Option("compression", "false", "accept permessage-deflate (costs about 90 KB per connection and ~40% throughput)"),
            new Option("reuse-port", "false", "SO_REUSEPORT, so that several server processes can share one port"),
            new Option("redis", "", "redis://host:port of the pub/sub backplane that carries broadcasts between server processes (empty: this process alone)"),
            new Option("max-connections", "0", "WebSocket connections this process holds at most; one more is refused with 503 and counted (0: no cap)"),
            new Option("max-connections-per-address", "0", "WebSocket connections from one client address at most; one more is refused with 503 and counted (0: no cap)"),
            new Option("allowed-origins", "", "comma-separated Origin values a browser's upgrade may carry; another is refused with 403 (empty: any)"),
            new Option("inject", "", "deliberate regressions, to prove the gate catches them: PATH.KIND=AMOUNT,... with PATH ack, delivery or connect and KIND cpu (CPU nanoseconds of real work per unit) or alloc (bytes allocated per unit), or idle.bytes (bytes held per open connection)"),
            new Option("node-id", "", "name of this process in logs and /stats (default: its pid)"));

    public static ServerSettings defaults() {
        return parse(new String[0], Map.of());
    }

    /** Parses flags with environment fallbacks; throws {@link IllegalArgumentException} with a message fit for the user. */
    public static ServerSettings parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            values.put(option.flag(), env.getOrDefault(option.envName(), option.defaultValue()));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (try --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (try --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        String nodeId = values.get("node-id");
        ServerSettings settings = new ServerSettings(
                values.get("host"),
                intValue(values, "port"),
                intValue(values, "admin-port"),
                Duration.ofSeconds(intValue(values, "idle-timeout")),
                intValue(values, "max-message-bytes"),
                intValue(values, "max-queued-frames"),
                intValue(values, "accept-queue"),
                threadsPerCore(values, "fan-out-threads"),
                threadsPerCore(values, "selectors"),
                boolValue(values, "compression"),
                boolValue(values, "reuse-port"),
                values.get("redis").trim(),
                intValue(values, "max-connections"),
                intValue(values, "max-connections-per-address"),
                java.util.Arrays.stream(values.get("allowed-origins").split(",")).map(String::trim).filter(origin -> !origin.isEmpty()).toList(),
                values.get("inject").trim(),
                nodeId.isEmpty() ? String.valueOf(ProcessHandle.current().pid()) : nodeId);
        settings.validate();
        return settings;
    }

    public static String help() {
        StringBuilder out = new StringBuilder("Usage: java -jar wshunt-server.jar [options]\n\n"
                + "The wshunt chat server: WebSocket at /ws/{user_id}, GET /health and /stats.\n\nOptions:\n");
        for (Option option : OPTIONS) {
            out.append(String.format("  --%-24s %s%n  %-26s default: %s; environment: %s%n",
                    option.flag() + " <v>", option.help(), "",
                    option.defaultValue().isEmpty() ? "(none)" : option.defaultValue(), option.envName()));
        }
        out.append(String.format("  --%-24s this text%n", "help"));
        return out.toString();
    }

    public ServerSettings withPorts(int port, int adminPort) {
        return new ServerSettings(host, port, adminPort, idleTimeout, maxMessageBytes, maxQueuedFrames,
                acceptQueue, fanOutThreads, selectors, compression, reusePort, redisUri, maxConnections, maxConnectionsPerAddress, allowedOrigins, inject, nodeId);
    }

    public ServerSettings withMaxQueuedFrames(int frames) {
        return new ServerSettings(host, port, adminPort, idleTimeout, maxMessageBytes, frames,
                acceptQueue, fanOutThreads, selectors, compression, reusePort, redisUri, maxConnections, maxConnectionsPerAddress, allowedOrigins, inject, nodeId);
    }

    /** The addresses of --host, in order: one WebSocket connector on each, the admin connector on the first. */
    public List<String> hosts() {
        return java.util.Arrays.stream(host.split(",")).map(String::trim).filter(address -> !address.isEmpty()).toList();
    }

    public boolean hasRedis() {
        return !redisUri.isEmpty();
    }

    private void validate() {
        requireRange("port", port, 0, 65535);
        requireRange("admin-port", adminPort, -1, 65535);
        requireRange("idle-timeout", (int) idleTimeout.toSeconds(), 1, Integer.MAX_VALUE);
        requireRange("max-message-bytes", maxMessageBytes, 16, Integer.MAX_VALUE);
        requireRange("max-queued-frames", maxQueuedFrames, 1, Integer.MAX_VALUE);
        requireRange("accept-queue", acceptQueue, 1, Integer.MAX_VALUE);
        InjectedRegression.read(inject);
        requireRange("max-connections", maxConnections, 0, Integer.MAX_VALUE);
        requireRange("max-connections-per-address", maxConnectionsPerAddress, 0, Integer.MAX_VALUE);
        if (hasRedis() && !redisUri.matches("rediss?://.+")) {
            throw new IllegalArgumentException("--redis takes redis://host:port, not '" + redisUri + "'");
        }
        if (hosts().isEmpty()) {
            throw new IllegalArgumentException("--host needs an address, such as 127.0.0.1");
        }
        if (hosts().size() > 1 && port == 0) {
            throw new IllegalArgumentException("--host with several addresses needs a --port of its own (0 would pick a different one on each)");
        }
        if (port != 0 && port == adminPort) {
            throw new IllegalArgumentException("--admin-port must differ from --port (both are " + port + ")");
        }
    }

    /** A count of threads: the one asked for, or one per core for 0. */
    private static int threadsPerCore(Map<String, String> values, String name) {
        int asked = intValue(values, name);
        requireRange(name, asked, 0, 1_024);
        return asked == 0 ? Runtime.getRuntime().availableProcessors() : asked;
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static int intValue(Map<String, String> values, String name) {
        String raw = values.get(name).trim();
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, not '" + raw + "'");
        }
    }

    private static boolean boolValue(Map<String, String> values, String name) {
        String raw = values.get(name).trim().toLowerCase();
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        throw new IllegalArgumentException("--" + name + " takes true or false, not '" + raw + "'");
    }
}
