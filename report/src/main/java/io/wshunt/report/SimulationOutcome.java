package io.wshunt.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One simulation's figures over every injector and server: what was sent, what the servers
 * counted, what the users received, what was lost, and what it cost. Loss is never hidden.
 */
public final class SimulationOutcome {
    /** The servers' count of broadcasts written to every user of a delivery lane, and their time from hand-over to the end of that pass. */
    public static final String FAN_OUTS = "fan_outs";
    public static final String FAN_OUT_MICROS = "fan_out_us";
    /** The servers' counters an outcome reads at the end of a run, summed over the servers. */
    public static final List<String> SERVER_COUNTERS = List.of("benchmark_messages", "acks", "acks_dropped", "chat_messages", "deliveries",
            "deliveries_dropped", FAN_OUTS, FAN_OUT_MICROS, "errors", "rejected_frames", "backplane_errors");

    private final String simulation;
    private final int usersTargeted;
    /** What every injector's users sent and received, summed. */
    private final InjectorAccounting.Counts users;
    /** Whether every benchmark message asked for an ack (mode=ack on every injector). */
    private final boolean acked;
    private final long peakConnections;
    private final double serverMsgsPerCpuSecond;
    /** Bytes the servers allocated per benchmark message over the same stretch; NaN when not counted. */
    private final double serverBytesPerMsg;
    /** The servers' counters over the simulation (benchmark_messages, acks, chat_messages, deliveries, ...); empty: the server gives none to read. */
    private final Map<String, Long> server;
    private final Map<String, Object> requests;
    private final Map<String, Object> processes;
    private final List<String> problems;
    private final Path report;
    /** The peak of the report's concurrent-users chart; -1 when nobody read it. */
    private final long reportPeakUsers;
    private final long durationMillis;
    /** This machine's ceiling, measured by the probe before the run; null when it was not. */
    private final CeilingShare ceiling;
    /** The benchmark rate the injectors were told to keep (Endurance), 0 when the run was not paced. */
    private final double targetRate;
    /** How long the paced rate was asked for (Endurance's enduranceSeconds), 0 when the run was not paced. */
    private final double sustainedWindowS;
    /** The most messages per second the servers counted over any {@link #sustainedWindowS}, 0 when not measured. */
    private final double sustainedRate;
    /** Users per second the injectors were told to connect, over all of them. */
    private final double connectRateOffered;
    /** Deliveries per second the chat round asked for (ChatBroadcast), 0 otherwise. */
    private final double deliveriesOffered;

    private SimulationOutcome(Builder built) {
        simulation = built.simulation;
        usersTargeted = built.usersTargeted;
        users = built.users;
        acked = built.acked;
        peakConnections = built.peakConnections;
        serverMsgsPerCpuSecond = built.serverMsgsPerCpuSecond;
        serverBytesPerMsg = built.serverBytesPerMsg;
        server = Collections.unmodifiableMap(new LinkedHashMap<>(built.server));
        requests = Collections.unmodifiableMap(new LinkedHashMap<>(built.requests));
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(built.processes));
        problems = List.copyOf(built.problems);
        report = built.report;
        reportPeakUsers = built.reportPeakUsers;
        durationMillis = built.durationMillis;
        ceiling = built.ceiling;
        targetRate = built.targetRate;
        sustainedWindowS = built.sustainedWindowS;
        sustainedRate = built.sustainedRate;
        connectRateOffered = built.connectRateOffered;
        deliveriesOffered = built.deliveriesOffered;
    }

    /**
     * What a run gathers about one simulation as it goes (the injectors' accounting, the servers'
     * counters and cost, the report, what went wrong), made into an outcome once, at the end.
     */
    public static final class Builder {
        private final String simulation;
        private final int usersTargeted;
        private InjectorAccounting.Counts users = InjectorAccounting.Counts.NONE;
        private boolean acked = true;
        private long peakConnections;
        private double serverMsgsPerCpuSecond;
        private double serverBytesPerMsg = Double.NaN;
        private final Map<String, Long> server = new LinkedHashMap<>();
        private Map<String, Object> requests = Map.of();
        private Map<String, Object> processes = Map.of();
        /** Written by the run's monitor and by the runner, one thread at a time each. */
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private Path report;
        private long reportPeakUsers = -1;
        private long durationMillis;
        private CeilingShare ceiling;
        private double targetRate;
        private double sustainedWindowS;
        private double sustainedRate;
        private double connectRateOffered;
        private double deliveriesOffered;

        public Builder(String simulation, int usersTargeted) {
            this.simulation = simulation;
            this.usersTargeted = usersTargeted;
        }

        /** Adds one injector's accounting JSON (written by the simulation's after hook). */
        public Builder addInjector(Path accounting) throws IOException {
            InjectorAccounting file = InjectorAccounting.read(accounting);
            users = users.plus(file.injector());
            acked &= file.settings().acked();
            if (simulation.equals("Endurance")) {
                targetRate += file.settings().enduranceRate();
            }
            return this;
        }

        /** The paced rate asked for over every injector; {@link #addInjector} adds each Endurance injector's. */
        public Builder targetRate(double rate) {
            targetRate = rate;
            return this;
        }

        public Builder problem(String problem) {
            problems.add(problem);
            return this;
        }

        public Builder problems(List<String> more) {
            problems.addAll(more);
            return this;
        }

        /** One of the servers' counters over the simulation, summed over the servers. */
        public Builder serverCounter(String name, long value) {
            server.put(name, value);
            return this;
        }

        public Builder peakConnections(long peak) {
            peakConnections = peak;
            return this;
        }

        /** What a benchmark message cost the servers: messages per CPU-second, and bytes allocated (NaN: not counted). */
        public Builder serverCost(double messagesPerCpuSecond, double bytesPerMessage) {
            serverMsgsPerCpuSecond = messagesPerCpuSecond;
            serverBytesPerMsg = bytesPerMessage;
            return this;
        }

        /** Gatling's figures per request name. */
        public Builder requests(Map<String, Object> figures) {
            requests = figures;
            return this;
        }

        /** Peak CPU and memory per process of the run. */
        public Builder processes(Map<String, Object> figures) {
            processes = figures;
            return this;
        }

        /** The report's page, and the peak of its concurrent-users chart (-1: not read). */
        public Builder report(Path index, long peakUsers) {
            report = index;
            reportPeakUsers = peakUsers;
            return this;
        }

        public Builder durationMillis(long millis) {
            durationMillis = millis;
            return this;
        }

        public Builder ceiling(CeilingShare share) {
            ceiling = share;
            return this;
        }

        /** Users per second asked to connect, and deliveries per second the chat round asks for (0: none). */
        public Builder offered(double connectRate, double deliveriesPerSecond) {
            connectRateOffered = connectRate;
            deliveriesOffered = deliveriesPerSecond;
            return this;
        }

        /** How long a paced rate was asked for (0: not paced); the best rate over that long is {@link #sustainedRate}. */
        public Builder sustainedWindowS(double seconds) {
            sustainedWindowS = seconds;
            return this;
        }

        public double sustainedWindowS() {
            return sustainedWindowS;
        }

        public Builder sustainedRate(double rate) {
            sustainedRate = rate;
            return this;
        }

        public SimulationOutcome build() {
            return new SimulationOutcome(this);
        }
    }

    public String simulation() {
        return simulation;
    }

    /** Deliveries per second a chat round asks for: every sender's message to every user, once an interval. */
    public static double offeredDeliveriesPerSecond(int senders, int users, int intervalMillis) {
        return senders * (double) users * 1000 / intervalMillis;
    }

    public long connected() {
        return users.connected();
    }

    public long chatSent() {
        return users.chatSent();
    }

    public long broadcastsReceived() {
        return users.broadcastsReceived();
    }

    /** Every count against what it should be, with the servers' counters the runner read at the end. */
    public EndToEnd endToEnd() {
        return new EndToEnd(users, acked, counter("benchmark_messages"), counter("chat_messages"));
    }

    /** A counter the servers gave; empty for one they do not keep (another stack's server), which is "not counted". */
    private OptionalLong counter(String name) {
        Long value = server.get(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** A server counter for people and JSON: its value, or "not counted" when the server gives none. */
    private Object serverFigure(String name) {
        return server.containsKey(name) ? server.get(name) : NOT_COUNTED;
    }

    public static final String NOT_COUNTED = "not counted";

    private OptionalDouble fanOutMillis() {
        return server.containsKey(FAN_OUTS) && server.containsKey(FAN_OUT_MICROS)
                ? meanFanOutMillis(server.get(FAN_OUTS), server.get(FAN_OUT_MICROS)) : OptionalDouble.empty();
    }

    /** How long a broadcast took on average from a server having it to having written it to every user of a lane; empty with none. */
    public static OptionalDouble meanFanOutMillis(long fanOuts, long micros) {
        return fanOuts > 0 ? OptionalDouble.of(micros / 1000.0 / fanOuts) : OptionalDouble.empty();
    }

    /** A mean fan-out in words, for the table and the run page. */
    public static String fanOutWords(double millis) {
        return String.format("%,.0f ms a broadcast on average, from a server having it to having written it to every user of a delivery lane", millis);
    }

    public long deliveriesExpected() {
        return endToEnd().deliveriesExpected();
    }

    public long lost() {
        return endToEnd().lost();
    }

    public long duplicated() {
        return endToEnd().duplicated();
    }

    public double serverBenchmarkRate() {
        return users.sendWindowS() > 0 ? server.getOrDefault("benchmark_messages", 0L) / users.sendWindowS() : 0;
    }

    /** Why this simulation failed, in words: its problems, loss, duplicates, users that did not connect. Empty: it passed. */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>(problems);
        if (!endToEnd().lossCounted()) reasons.add("loss not counted: " + String.join("; ", endToEnd().notCounted()));
        if (lost() > 0) reasons.add(lost() + " lost");
        if (duplicated() > 0) reasons.add(duplicated() + " duplicated");
        if (users.connectFailed() > 0 || users.connected() != usersTargeted) reasons.add(users.connected() + " of " + usersTargeted + " users connected");
        if (report != null && reportPeakUsers >= 0 && reportPeakUsers < users.connected()) {
            reasons.add(String.format("the merged report charts %,d concurrent users at the peak, not the %,d connected", reportPeakUsers, users.connected()));
        }
        if (targetRate > 0 && !targetReached() && serverBound()) reasons.add("the paced rate was not reached and the server was the limit: " + targetWords());
        // Short of the pace with no ceiling to say who was short: not measured, which is not a pass.
        if (targetRate > 0 && !targetReached() && ceiling == null) reasons.add("the paced rate was not reached, and with no ceiling measured nothing says "
                + "the injectors rather than the server were short: " + targetWords());
        return reasons;
    }

    public boolean passed() {
        return reasons().isEmpty();
    }

    /** The probe phase the benchmark rate compares with: ack when each message awaited its ack, else fire. */
    private String benchmarkCeilingPhase() {
        return acked ? "ack" : "fire";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("simulation", simulation);
        out.put("passed", passed());
        out.put("problems", problems);
        out.put("reasons", reasons());
        out.put("duration_s", durationMillis / 1000.0);
        out.put("users_targeted", usersTargeted);
        out.put("users_connected", users.connected());
        out.put("users_failed", users.connectFailed());
        out.put("connect_rate_per_s", Math.round(users.connectRatePerS()));
        out.put("connect_rate_offered_per_s", Math.round(connectRateOffered));
        out.put("connect_share_of_offered", share(users.connectRatePerS(), connectRateOffered));
        out.put("peak_connections", peakConnections);
        out.put("server_counters_read", !server.isEmpty());
        Map<String, Object> benchmark = new LinkedHashMap<>();
        benchmark.put("sent", users.benchmarkSent());
        benchmark.put("counted_by_servers", serverFigure("benchmark_messages"));
        benchmark.put("acked_by_servers", serverFigure("acks"));
        benchmark.put("acks_received", users.acksReceived());
        benchmark.put("acks_missing", endToEnd().acks().lost());
        benchmark.put("lost", endToEnd().benchmark().lost());
        benchmark.put("server_rate_per_s", Math.round(serverBenchmarkRate()));
        benchmark.put("send_window_s", users.sendWindowS());
        benchmark.put("server_msgs_per_cpu_s", Math.round(serverMsgsPerCpuSecond));
        if (Double.isFinite(serverBytesPerMsg)) {
            benchmark.put("server_bytes_per_msg", Math.round(serverBytesPerMsg));
        }
        if (targetRate > 0) {
            benchmark.put("target_rate_per_s", Math.round(targetRate));
            benchmark.put("reached_target", targetReached());
            benchmark.put("share_of_target", share(pacedRate(), targetRate));
            if (sustainedRate > 0) {
                benchmark.put("sustained_rate_per_s", Math.round(sustainedRate));
                benchmark.put("sustained_window_s", sustainedWindowS);
            }
        }
        if (ceiling != null && users.benchmarkSent() > 0) {
            ceiling.share(benchmarkCeilingPhase(), serverBenchmarkRate()).ifPresent(share -> benchmark.put("share_of_ceiling", round3(share)));
        }
        out.put("benchmark", benchmark);
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("sent", users.chatSent());
        chat.put("counted_by_servers", serverFigure("chat_messages"));
        chat.put("deliveries_expected", deliveriesExpected());
        chat.put("deliveries_received", users.broadcastsReceived());
        chat.put("deliveries_written_by_servers", serverFigure("deliveries"));
        chat.put("deliveries_dropped_by_servers", serverFigure("deliveries_dropped"));
        chat.put("deliveries_lost", endToEnd().deliveries().lost());
        chat.put("delivery_latency_p99_ms_max_over_injectors", deliveryP99());
        chat.put("fan_out_ms_mean", fanOutMillis().isPresent() ? (Object) Math.round(fanOutMillis().getAsDouble()) : NOT_COUNTED);
        chat.put("deliveries_per_s", Math.round(users.deliveryRatePerS()));
        if (deliveriesOffered > 0) {
            chat.put("deliveries_offered_per_s", Math.round(deliveriesOffered));
            chat.put("delivery_share_of_offered", share(users.deliveryRatePerS(), deliveriesOffered));
        }
        if (ceiling != null && users.chatSent() > 0) {
            ceiling.share("broadcast", users.deliveryRatePerS()).ifPresent(share -> chat.put("share_of_ceiling", round3(share)));
        }
        out.put("chat", chat);
        out.put("server_errors", serverFigure("errors"));
        out.put("not_counted", endToEnd().notCounted());
        // Every counter the servers keep, counted over this simulation: what the figures above leave out is still seen.
        out.put("server_counters", new LinkedHashMap<>(server));
        out.put("lost", lost());
        out.put("duplicated", duplicated());
        out.put("requests", requests);
        out.put("processes", processes);
        out.put("report", report == null ? null : report.toString());
        out.put("report_peak_concurrent_users", reportPeakUsers);
        return out;
    }

    public String table() {
        List<String> reasons = reasons();
        StringBuilder out = new StringBuilder(String.format("%n%s: %s%n", simulation, reasons.isEmpty() ? "passed" : "FAILED " + reasons));
        row(out, "users", String.format("%,d of %,d connected, %,d failed; peak %s concurrent", users.connected(), usersTargeted, users.connectFailed(),
                server.isEmpty() ? "not counted" : String.format("%,d", peakConnections)));
        row(out, "connect rate", String.format("%,.0f users/s of %,.0f offered (%.0f%%)", users.connectRatePerS(), connectRateOffered,
                100 * share(users.connectRatePerS(), connectRateOffered)));
        if (users.benchmarkSent() > 0) {
            row(out, "benchmark messages", String.format("%,d sent, %s, %,d acks received, %,d lost",
                    users.benchmarkSent(), countedByServers(server.get("benchmark_messages")), users.acksReceived(), endToEnd().benchmark().lost()));
            row(out, "  server rate", server.containsKey("benchmark_messages") ? String.format("%,.0f msg/s over %.1f s; %,.0f msg per server CPU-second",
                    serverBenchmarkRate(), users.sendWindowS(), serverMsgsPerCpuSecond) : "not counted");
            if (targetRate > 0) {
                row(out, "  target", targetWords());
            }
            if (ceiling != null) {
                ceiling.describe(benchmarkCeilingPhase(), serverBenchmarkRate(), benchmarkCeilingPhase().equals("ack") ? "round trips/s" : "msg/s")
                        .ifPresent(words -> row(out, "  ceiling", words));
            }
        }
        if (users.chatSent() > 0) {
            row(out, "chat messages", String.format("%,d sent, %s", users.chatSent(), countedByServers(server.get("chat_messages"))));
            row(out, "  deliveries", String.format("%,d expected (%,d x %,d users), %,d received, %,d lost, %s",
                    deliveriesExpected(), users.chatSent(), users.connected(), users.broadcastsReceived(), endToEnd().deliveries().lost(),
                    droppedByServers(server.get("deliveries_dropped"))));
            row(out, "  delivery rate", String.format("%,.0f deliveries/s received", users.deliveryRatePerS())
                    + (deliveriesOffered > 0 ? String.format(" of %,.0f offered", deliveriesOffered) : ""));
            if (ceiling != null) {
                ceiling.describe("broadcast", users.deliveryRatePerS(), "deliveries/s").ifPresent(words -> row(out, "  ceiling", words));
            }
            row(out, "  delivery p99", deliveryP99() + " ms (highest of the injectors)");
            fanOutMillis().ifPresent(millis -> row(out, "  fan-out", fanOutWords(millis)));
        }
        row(out, "server errors", figure(server.get("errors")));
        endToEnd().notCounted().forEach(why -> row(out, "NOT COUNTED", why));
        row(out, "LOST", String.valueOf(lost()));
        if (duplicated() > 0) {
            row(out, "DUPLICATED", duplicated() + " " + endToEnd().tallies().stream().filter(tally -> tally.duplicated() > 0)
                    .map(tally -> tally.what() + " +" + tally.duplicated()).toList());
        }
        requests.forEach((name, figures) -> row(out, "  " + name, String.valueOf(figures)));
        processes.forEach((name, figures) -> row(out, "  " + name, String.valueOf(figures)));
        if (report != null) row(out, "report", String.format("%s (charts %,d concurrent users at the peak)", report, reportPeakUsers));
        return out.toString();
    }

    /** A servers' count in words, for this table and the run page alike; null: the servers do not keep it. */
    public static String countedByServers(Long count) {
        return count == null ? "not counted by the servers" : String.format("%,d counted by the servers", count);
    }

    public static String droppedByServers(Long count) {
        return count == null ? "drops at the servers not counted" : String.format("%,d dropped by servers", count);
    }

    public static String figure(Long count) {
        return count == null ? NOT_COUNTED : String.format("%,d", count);
    }

    private boolean targetReached() {
        return pacedRate() >= 0.95 * targetRate;
    }

    /**
     * What a paced run is judged on: the rate the servers counted over the best stretch as long as
     * the run asked for, when the runner sampled it; else the rate over the whole send window.
     */
    private double pacedRate() {
        return sustainedRate > 0 ? sustainedRate : serverBenchmarkRate();
    }

    /** The server ran at 80% or more of this machine's ceiling: the server, not the injectors, set the rate. */
    private boolean serverBound() {
        return ceiling != null && ceiling.share(benchmarkCeilingPhase(), pacedRate()).map(share -> share >= 0.8).orElse(false);
    }

    /** Whether a paced run got the rate it asked for and, if not, who was short: the injectors or the server. */
    public String targetWords() {
        double reached = pacedRate() / targetRate;
        String over = sustainedRate > 0 ? String.format(" (%,.0f msg/s over the best %.0f s; %,.0f over the whole %.1f s send window)",
                sustainedRate, sustainedWindowS, serverBenchmarkRate(), users.sendWindowS()) : "";
        if (targetReached()) {
            return String.format("%,.0f msg/s asked, %.0f%% reached%s", targetRate, reached * 100, over);
        }
        Optional<Double> share = ceiling == null ? Optional.empty() : ceiling.share(benchmarkCeilingPhase(), pacedRate());
        String who = share.isEmpty() ? "injector-bound or server-bound: the ceiling was not measured"
                : serverBound() ? "server-bound: near this machine's ceiling" : "injector-bound: the server had room (see the ceiling)";
        return String.format("%,.0f msg/s asked, only %.0f%% reached%s: %s", targetRate, reached * 100, over, who);
    }

    /** {@code part / whole} to three places, 0 when there is no whole. */
    private static double share(double part, double whole) {
        return whole > 0 ? round3(part / whole) : 0;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The worst injector's delivery p99 in ms, -1 when no delivery was timed. */
    private long deliveryP99() {
        return users.deliveryLatencyMs().count() > 0 ? users.deliveryLatencyMs().p99() : -1;
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format("  %-22s %s%n", label, value));
    }
}
