package io.wshunt.runner.probe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshunt.contract.Json;
import io.wshunt.runner.process.ListeningProcess;
import io.wshunt.runner.process.ServerFleet;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Measures one server process at its limit with a pipelined client, so that the figure is the
 * server's and not the load generator's: benchmark messages per second and server CPU per message
 * (fire), acked round trips with several in flight per connection and their latency (ack), and
 * broadcast deliveries per second and server CPU per delivery (broadcast). Every phase is bounded
 * in time, counts at the server, and checks afterwards that what was sent arrived.
 * <p>
 * Try it alone: {@code ci/probe.sh} (starts a server) or {@code ci/probe.sh --target ws://127.0.0.1:8080 --stats http://127.0.0.1:8081/stats}.
 */
public final class CapacityProbe implements AutoCloseable {
    /** The phases, in the order {@link #run(List)} knows them. */
    public static final List<String> PHASES = List.of("fire", "ack", "broadcast", "connect");
    /** Connections the connect phase opens and closes: enough for a rate, few enough for a second or two. */
    public static final int CONNECTS = 3_000;
    /**
     * Connections a paced ack phase sends on: spread over 200, a pair's CPU per round trip moved
     * three times as much (sd 0.018 of log ratios against 0.005 over 8).
     */
    static final int PACED_ACK_CONNECTIONS = 8;
    /** Connect rounds at most, until the rate settles. */
    static final int CONNECT_ROUNDS = 5;

    /**
     * How hard and how long to probe. {@code windows}: measure that many windows in a row and keep
     * the median, so that one odd second does not decide. {@code pace}: phases offered at a fixed
     * rate rather than as fast as the server answers.
     */
    public record Settings(int connections, int depth, Duration warmup, Duration window, int windows, Duration drain, Pace pace) {
        /** Every phase as fast as the server answers. */
        public Settings(int connections, int depth, Duration warmup, Duration window, int windows, Duration drain) {
            this(connections, depth, warmup, window, windows, drain, Pace.NONE);
        }
    }

    /**
     * Fixed rates for the acked round trip (round trips/s over all connections) and the broadcast
     * (chat messages/s, each delivered to every connection); 0 keeps that phase closed-loop, as many
     * in flight as {@code depth}. A paced phase is for comparing servers, not for their ceiling.
     */
    public record Pace(int acksPerSecond, int chatsPerSecond) {
        public static final Pace NONE = new Pace(0, 0);

        /** Units per second offered in {@code phase} with {@code connections} connections; 0 when it is not paced. */
        public double offered(String phase, int connections) {
            return switch (phase) {
                case "ack" -> acksPerSecond;
                case "broadcast" -> (double) chatsPerSecond * connections;
                default -> 0;
            };
        }
    }

    /**
     * What the server spent on a measured stretch, from its own counters: the units it handled,
     * its CPU time (the whole process, and its Java threads alone, without the JIT compilers and
     * the garbage collector) and the bytes its threads allocated. A figure the server does not
     * report (an older build) is -1, and what is computed from it NaN.
     */
    public record Cost(double seconds, long units, long cpuNanos, long threadCpuNanos, long allocatedBytes) {
        static Cost between(JsonNode before, JsonNode after, String counter, double seconds) {
            long cpu = processCpuNanos(before) < 0 || processCpuNanos(after) < 0 ? -1 : processCpuNanos(after) - processCpuNanos(before);
            return new Cost(seconds, after.path(counter).asLong() - before.path(counter).asLong(), cpu,
                    difference(before, after, "thread_cpu_time_ns"), difference(before, after, "allocated_bytes"));
        }

        private static long difference(JsonNode before, JsonNode after, String field) {
            return before.path(field).isNumber() && after.path(field).isNumber() ? after.path(field).asLong() - before.path(field).asLong() : -1;
        }

        public double rate() {
            return seconds > 0 ? units / seconds : Double.NaN;
        }

        public double cpuMicrosPerUnit() {
            return perUnit(cpuNanos) / 1_000;
        }

        public double threadCpuMicrosPerUnit() {
            return perUnit(threadCpuNanos) / 1_000;
        }

        public double bytesPerUnit() {
            return perUnit(allocatedBytes);
        }

        private double perUnit(long amount) {
            return units > 0 && amount >= 0 ? amount / (double) units : Double.NaN;
        }
    }

    /** What was sent in a whole phase and what arrived, checked after a drain. More arrived than sent is duplicated. */
    public record Tally(long sent, long arrived, long sendFailures) {
        public long lost() {
            return Math.max(0, sent - arrived);
        }

        public long duplicated() {
            return Math.max(0, arrived - sent);
        }
    }

    /** Round-trip times; NaN for a phase that times none. */
    public record Latency(double p50Millis, double p99Millis) {
        public static final Latency NONE = new Latency(Double.NaN, Double.NaN);
    }

    /**
     * One phase's figures: its cost at the server over the median window and over the whole measured
     * stretch (all windows), its tally over the whole phase, its latency.
     */
    public record Phase(String name, String unit, Cost cost, Cost stretch, Tally tally, Latency latency) {
        /** Nothing lost, duplicated or failed to send. */
        public boolean clean() {
            return tally.lost() == 0 && tally.duplicated() == 0 && tally.sendFailures() == 0;
        }

        /** Units counted; the server's CPU per unit may still be unknown (a server of another stack). */
        public boolean measured() {
            return rate() > 0;
        }

        public double rate() {
            return cost.rate();
        }

        public double cpuMicrosPerUnit() {
            return cost.cpuMicrosPerUnit();
        }

        /** Units the server handles per second of its own CPU. */
        public double perCpuSecond() {
            return cpuMicrosPerUnit() > 0 ? 1e6 / cpuMicrosPerUnit() : Double.NaN;
        }

        public double windowSeconds() {
            return cost.seconds();
        }

        public long sent() {
            return tally.sent();
        }

        public long arrived() {
            return tally.arrived();
        }

        public long lost() {
            return tally.lost();
        }

        public long duplicated() {
            return tally.duplicated();
        }

        public long sendFailures() {
            return tally.sendFailures();
        }

        public double p50Millis() {
            return latency.p50Millis();
        }

        public double p99Millis() {
            return latency.p99Millis();
        }
    }

    /** Where the server is: its scheme and authority. */
    private final URI server;
    private final ProbeProtocol protocol;
    /** The server's /stats, or several servers' added up; empty when one did not answer. Null: counted at this client. */
    private final Supplier<Optional<JsonNode>> stats;
    private final String statsName;
    /** The process serving the target, where it runs here: its CPU for a server whose stats do not say it. */
    private final Optional<ListeningProcess> serverProcess;
    /** The phase under way, whose client-side counts stand in for a server that gives none. */
    private volatile ProbeLoad current = new ProbeLoad();
    private final LongAdder connectsOpened = new LongAdder();
    /** Replaced only for the length of {@link #warmUp}. */
    private Settings settings;
    private final WebSocketClient client = new WebSocketClient();
    private final List<ProbeConnection> connections = new ArrayList<>();

    /**
     * A probe of a server someone else started, at {@code server} (ws://host:port), speaking
     * {@code protocol}; with {@code stats} null, what arrived is counted at this client. The
     * server's CPU, where its stats do not give it, is read from the process of this machine that
     * listens on its port, if there is one.
     */
    public CapacityProbe(URI server, URI stats, ProbeProtocol protocol, Settings settings) {
        this(server, protocol, stats == null ? null : () -> Json.get(stats), "the server's " + stats, settings, ListeningProcess.serving(server.getHost(), server.getPort()));
    }

    private CapacityProbe(URI server, ProbeProtocol protocol, Supplier<Optional<JsonNode>> stats, String statsName, Settings settings,
                          Optional<ListeningProcess> serverProcess) {
        this.server = server;
        this.protocol = protocol;
        this.serverProcess = serverProcess;
        this.stats = stats;
        this.statsName = statsName;
        this.settings = settings;
    }

    /**
     * A probe of a fleet the runner started, counted over all its servers: the connections spread
     * over the servers sharing the port.
     */
    public static CapacityProbe of(ServerFleet fleet, Settings settings) {
        return new CapacityProbe(fleet.webSocketUri(), ProbeProtocol.WSHUNT, fleet::summedStats, "the /stats of " + fleet.servers().size() + " server(s)",
                settings, Optional.empty());
    }

    /** Fails with the phases it knows when one is unknown: before any server starts. */
    public static void requireKnown(List<String> phases) {
        for (String phase : phases) {
            if (!PHASES.contains(phase)) {
                throw new IllegalArgumentException("unknown phase " + phase + "; the probe knows " + PHASES);
            }
        }
    }

    /**
     * Why this probe cannot measure {@code phase} on its server, or empty when it can: a message the
     * protocol does not have, or fire-and-forget messages on a server that does not count them.
     */
    public Optional<String> cannotMeasure(String phase) {
        Optional<String> lacking = protocol.lacks(phase);
        if (lacking.isPresent()) return lacking;
        return Optional.ofNullable(switch (phase) {
            case "fire" -> stats == null || !stats().has("benchmark_messages") ? "nothing counts fire-and-forget messages: no benchmark_messages in the server's stats" : null;
            case "ack" -> uncounted("acks");
            case "broadcast" -> uncounted("deliveries");
            default -> uncounted("connects");
        });
    }

    /** Why {@code counter} goes uncounted: given stats that lack it (counting at this client needs no --stats); null when counted. */
    private String uncounted(String counter) {
        return stats == null || stats().has(counter) ? null : "the server's stats have no " + counter + " (without them this client counts)";
    }

    /** Where what arrived is counted, and where the server's CPU comes from. */
    public String countedAt() {
        String counted = stats == null ? "this client (no server stats)" : statsName;
        String cpu = serverProcess.map(process -> "; the server's CPU from /proc/" + process.pid() + " (" + process.name() + ", listening on port "
                + server.getPort() + ")").orElse(stats == null ? "; the server's CPU not counted (no process of this machine listens on port "
                + server.getPort() + ")" : "");
        return counted + cpu;
    }

    /** Opens every connection; fails when one does not open within ten seconds. */
    public void connect() throws Exception {
        // As long as the server's own default: a gate with several candidates keeps a pair's
        // connections idle for many minutes while it starts and warms the other pairs.
        client.setIdleTimeout(Duration.ofHours(1));
        client.start();
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            ProbeConnection connection = new ProbeConnection(client.getExecutor(), protocol);
            connections.add(connection);
            opening.add(client.connect(connection, protocol.uri(server, "probe-" + i)));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /**
     * Connect: opens {@code count} more connections, at most {@code connections} at a time, each
     * closed as soon as it opened; the rate is the server's count of connects over the time it took. What the suite's default connect rate is sized from.
     */
    public Phase connectRate(int count) throws Exception {
        JsonNode before = stats();
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(settings.connections());
        LongAdder opened = new LongAdder();
        LongAdder failed = new LongAdder();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<Session> opening = client.connect(new Session.Listener.AutoDemanding() {
            }, protocol.uri(server, "connect-probe-" + i));
            all.add(opening.whenComplete((session, error) -> {
                if (error == null) {
                    opened.increment();
                    connectsOpened.increment();
                    session.close(StatusCode.NORMAL, "probe", Callback.NOOP);
                } else {
                    failed.increment();
                }
                inFlight.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((ignored, error) -> null).get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        // The server counts a connect when its endpoint opens, a moment after the client has seen
        // the upgrade: wait (bounded) for the last ones, or they would read as lost.
        JsonNode after = stats();
        long deadline = System.nanoTime() + settings.drain().toNanos();
        while (after.path("connects").asLong() - before.path("connects").asLong() < opened.sum() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = stats();
        }
        Cost cost = Cost.between(before, after, "connects", seconds);
        return new Phase("connect", "connect", cost, cost, new Tally(count, cost.units(), failed.sum()), Latency.NONE);
    }

    /**
     * Connect rounds until one is within 10% of the one before, at most {@value #CONNECT_ROUNDS};
     * the last counts. A fresh server's first connects pay for compiling its upgrade path, several
     * times what a connect costs once it is warm.
     */
    private Phase warmConnectRate() throws Exception {
        Phase last = connectRate(CONNECTS);
        for (int round = 2; round <= CONNECT_ROUNDS; round++) {
            Phase next = connectRate(CONNECTS);
            boolean settled = next.rate() < last.rate() * 1.1;
            last = next;
            if (settled) {
                break;
            }
        }
        return last;
    }

    /**
     * Short passes over the named phases, thrown away: what the JIT needs to compile the server's
     * paths (thousands of units each, not seconds), with a connect round per pass.
     */
    public void warmUp(List<String> phases, int passes) throws Exception {
        Settings full = settings;
        settings = new Settings(full.connections(), full.depth(), Duration.ofMillis(200), Duration.ofMillis(500), 1, full.drain(), full.pace());
        try {
            for (int pass = 0; pass < passes; pass++) {
                run(phases, false);
            }
        } finally {
            settings = full;
        }
    }

    /** The named phases, in order; the connect phase repeats its round until the rate settles. */
    public List<Phase> run(List<String> phases) throws Exception {
        return run(phases, true);
    }

    /**
     * The named phases, in order. {@code settleConnects}: repeat the connect round until its rate
     * settles (a rate for sizing); otherwise one round (a cost, on a server already warm).
     */
    public List<Phase> run(List<String> phases, boolean settleConnects) throws Exception {
        List<Phase> measured = new ArrayList<>();
        for (String phase : phases) {
            measured.add(switch (phase) {
                case "fire" -> fire();
                case "ack" -> ack();
                case "broadcast" -> broadcast();
                case "connect" -> settleConnects ? warmConnectRate() : connectRate(CONNECTS);
                default -> throw new IllegalArgumentException("unknown phase " + phase + "; the probe knows " + PHASES);
            });
        }
        return measured;
    }

    /** Fire-and-forget: every connection keeps {@code depth} benchmark frames on the wire. */
    public Phase fire() throws Exception {
        ProbeLoad load = current = new ProbeLoad();
        long before = counter("benchmark_messages");
        Measured measured = run(load, "benchmark_messages", () -> {
            connections.forEach(connection -> connection.start(load, ProbeConnection.Mode.FIRE, settings.depth()));
        });
        long arrived = drain(() -> counter("benchmark_messages") - before, load.sent::sum);
        return measured.phase("fire", "msg", load.sent.sum(), arrived, load);
    }

    /** Acked: every connection keeps {@code depth} benchmark messages awaiting their ack, or the connections in turn send at the pace. */
    public Phase ack() throws Exception {
        ProbeLoad load = current = new ProbeLoad();
        int pace = settings.pace().acksPerSecond();
        Measured measured = run(load, "acks", () -> {
            if (pace > 0) {
                connections.forEach(connection -> connection.start(load, ProbeConnection.Mode.RECEIVER, 0));
                int paced = Math.min(PACED_ACK_CONNECTIONS, connections.size());
                ProbePacer.start(load, pace, tick -> connections.get((int) (tick % paced)).sendAck());
            } else {
                connections.forEach(connection -> connection.start(load, ProbeConnection.Mode.ACK, settings.depth()));
            }
        });
        long arrived = drain(load.acksReceived::sum, load.sent::sum);
        return measured.phase("ack", "round trip", load.sent.sum(), arrived, load);
    }

    /** Broadcast: one sender keeps {@code depth} chat messages in fan-out, or sends at the pace; every connection counts what reaches it. */
    public Phase broadcast() throws Exception {
        ProbeLoad load = current = new ProbeLoad();
        boolean chatsCounted = stats().has("chat_messages");
        long chatsBefore = counter("chat_messages");
        Measured measured = run(load, "deliveries", () -> {
            int pace = settings.pace().chatsPerSecond();
            connections.subList(1, connections.size()).forEach(connection -> connection.start(load, ProbeConnection.Mode.RECEIVER, 0));
            ProbeConnection sender = connections.get(0);
            sender.start(load, pace > 0 ? ProbeConnection.Mode.RECEIVER : ProbeConnection.Mode.CHAT_SENDER, settings.depth());
            if (pace > 0) ProbePacer.start(load, pace, tick -> sender.sendChat());
        });
        long arrived = drain(load.deliveriesReceived::sum, () -> load.sent.sum() * connections.size());
        long chats = load.sent.sum();
        long expected = chats * connections.size();
        long counted = counter("chat_messages") - chatsBefore;
        if (chatsCounted && counted != chats) {
            // A chat the server never counted cannot be delivered: say so rather than blame the fan-out.
            load.sendFailures.add(Math.abs(chats - counted));
        }
        return measured.phase("broadcast", "delivery", expected, arrived, load);
    }

    /**
     * Starts a phase, lets it warm up, measures {@code windows} windows in a row at the server, stops
     * it, and returns the window of median server CPU per unit with the whole stretch's cost beside it.
     */
    private Measured run(ProbeLoad load, String counter, Runnable start) throws Exception {
        start.run();
        Thread.sleep(settings.warmup().toMillis());
        load.ackMicros.getIntervalHistogram(); // forget the warm-up's round trips
        List<Window> windows = new ArrayList<>();
        JsonNode first = stats();
        long firstNanos = System.nanoTime();
        JsonNode stretchStart = first;
        long stretchStartNanos = firstNanos;
        for (int i = 0; i < settings.windows(); i++) {
            Thread.sleep(settings.window().toMillis());
            JsonNode last = stats();
            long lastNanos = System.nanoTime();
            windows.add(new Window(Cost.between(first, last, counter, (lastNanos - firstNanos) / 1e9), load.ackMicros.getIntervalHistogram()));
            first = last;
            firstNanos = lastNanos;
        }
        load.stop();
        connections.forEach(ProbeConnection::stop);
        Cost stretch = Cost.between(stretchStart, first, counter, (firstNanos - stretchStartNanos) / 1e9);
        windows.sort(Comparator.comparingDouble(window -> window.cost().cpuNanos() / (double) Math.max(1, window.cost().units())));
        return new Measured(windows.get(windows.size() / 2), stretch);
    }

    /**
     * Waits until what arrived reaches what was sent, or the drain time ends; returns what arrived.
     * Both are read again each time: a send already under way when the phase stopped still counts.
     */
    private long drain(LongSupplier arrived, LongSupplier expected) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drain().toNanos();
        long now = arrived.getAsLong();
        while (now < expected.getAsLong() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = arrived.getAsLong();
        }
        Thread.sleep(50); // anything still on its way would show as duplicated
        return arrived.getAsLong();
    }

    private record Window(Cost cost, Histogram latency) {
    }

    /** The median window, and the cost of all windows together: the same stretch of time on every server measured at once. */
    private record Measured(Window median, Cost stretch) {
        /** Only the ack phase records round trips; the others have no latency. */
        Phase phase(String name, String unit, long sent, long arrived, ProbeLoad load) {
            Histogram latency = median.latency();
            Latency timed = latency == null || latency.getTotalCount() == 0 ? Latency.NONE
                    : new Latency(latency.getValueAtPercentile(50) / 1_000.0, latency.getValueAtPercentile(99) / 1_000.0);
            return new Phase(name, unit, median.cost(), stretch, new Tally(sent, arrived, load.sendFailures.sum()), timed);
        }
    }

    private long counter(String name) {
        return stats().path(name).asLong();
    }

    /** The server's /stats; a saturated server can miss one answer, so three tries before giving up. */
    private JsonNode stats() {
        return withProcessCpu(stats == null ? clientCounts() : serverStats());
    }

    private JsonNode serverStats() {
        for (int attempt = 1; attempt < 3; attempt++) {
            Optional<JsonNode> answer = stats.get();
            if (answer.isPresent()) return protocol.counters().apply(answer.get());
            LockSupport.parkNanos(200_000_000L);
        }
        return protocol.counters().apply(stats.get().orElseThrow(() -> new IllegalStateException(statsName + " did not answer three times")));
    }

    /** Counters with the listening process's CPU time where they do not say the server's own. */
    private JsonNode withProcessCpu(JsonNode counters) {
        if (serverProcess.isEmpty() || counters.has("cpu_time_ns") || counters.has("cpu_time_ms")) return counters;
        long cpu = serverProcess.get().cpuNanos();
        if (cpu < 0) return counters;
        ObjectNode withCpu = counters.deepCopy();
        withCpu.put("cpu_time_ns", cpu);
        return withCpu;
    }

    /** What this client counted, in the server's counter names: acks and deliveries of the phase under way, connects opened. */
    private JsonNode clientCounts() {
        ObjectNode counts = Json.MAPPER.createObjectNode();
        counts.put("acks", current.acksReceived.sum());
        counts.put("deliveries", current.deliveriesReceived.sum());
        counts.put("connects", connectsOpened.sum());
        return counts;
    }

    /** The server's CPU time: nanoseconds where it says them, else milliseconds (older builds); -1 where it says neither. */
    private static long processCpuNanos(JsonNode stats) {
        JsonNode nanos = stats.path("cpu_time_ns");
        JsonNode millis = stats.path("cpu_time_ms");
        return nanos.isNumber() ? nanos.asLong() : millis.isNumber() ? millis.asLong() * 1_000_000L : -1;
    }

    @Override
    public void close() {
        LifeCycle.stop(client);
    }
}
