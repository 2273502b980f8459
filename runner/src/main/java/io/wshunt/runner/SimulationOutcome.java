package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.wshunt.runner.probe.Ceiling;

/**
 * One simulation's figures over every injector and server: what was sent, what the servers
 * counted, what the users received, what was lost, and what it cost. Loss is never hidden.
 */
final class SimulationOutcome {
    final String simulation;
    final int usersTargeted;
    long connected;
    long connectFailed;
    double connectRate;
    long peakConnections;
    long benchmarkSent;
    long acksReceived;
    long chatSent;
    long broadcastsReceived;
    /** Whether every benchmark message asked for an ack (mode=ack on every injector). */
    boolean acked = true;
    long deliveryLatencyP99MaxOverInjectors = -1;
    double sendWindowSeconds;
    double serverMsgsPerCpuSecond;
    double deliveriesPerSecond;
    final Map<String, Long> server = new LinkedHashMap<>();
    Map<String, Object> requests = Map.of();
    Map<String, Object> processes = Map.of();
    final List<String> problems = new ArrayList<>();
    Path report;
    /** The peak of the merged report's concurrent-users chart. */
    long reportPeakUsers;
    long durationMillis;
    /** This machine's ceiling, measured by the probe before the run; null when it was not. */
    Ceiling ceiling;
    /** The benchmark rate the injectors were told to keep (Endurance), 0 when the run was not paced. */
    double targetRate;
    /** Users per second the injectors were told to connect, over all of them. */
    double connectRateOffered;
    /** Deliveries per second the chat round asked for (ChatBroadcast), 0 otherwise. */
    double deliveriesOffered;

    SimulationOutcome(String simulation, int usersTargeted) {
        this.simulation = simulation;
        this.usersTargeted = usersTargeted;
    }

    /** Adds one injector's accounting JSON (written by the simulation's after hook). */
    void addInjector(Path accounting) throws IOException {
        InjectorAccounting file = InjectorAccounting.read(accounting);
        InjectorAccounting.Counts counts = file.injector();
        connected += counts.connected();
        connectFailed += counts.connectFailed();
        connectRate += counts.connectRatePerS();
        benchmarkSent += counts.benchmarkSent();
        acksReceived += counts.acksReceived();
        chatSent += counts.chatSent();
        broadcastsReceived += counts.broadcastsReceived();
        acked &= file.settings().acked();
        if (simulation.equals("Endurance")) {
            targetRate += file.settings().enduranceRate();
        }
        sendWindowSeconds = Math.max(sendWindowSeconds, counts.sendWindowS());
        deliveriesPerSecond += counts.deliveryRatePerS();
        if (counts.deliveryLatencyMs().count() > 0) {
            deliveryLatencyP99MaxOverInjectors = Math.max(deliveryLatencyP99MaxOverInjectors, counts.deliveryLatencyMs().p99());
        }
    }

    /**
     * One count set against what it should be: fewer is lost, more is duplicated, and the two are
     * kept apart so that a duplicate can never cancel a loss.
     */
    record Tally(String what, long expected, long arrived) {
        long lost() {
            return Math.max(0, expected - arrived);
        }

        long duplicated() {
            return Math.max(0, arrived - expected);
        }
    }

    private Tally benchmarkTally() {
        return new Tally("benchmark messages counted by the servers", benchmarkSent, counter("benchmark_messages"));
    }

    /** Every benchmark message that asked for an ack (ack mode) should have one back. */
    private Tally ackTally() {
        return new Tally("acks received", acked ? benchmarkSent : 0, acked ? acksReceived : 0);
    }

    private Tally deliveryTally() {
        return new Tally("deliveries received", deliveriesExpected(), broadcastsReceived);
    }

    /** Every end-to-end count of this simulation: benchmark messages, acks, chat messages, deliveries. */
    List<Tally> tallies() {
        return List.of(benchmarkTally(), ackTally(), new Tally("chat messages counted by the servers", chatSent, counter("chat_messages")),
                deliveryTally());
    }

    private long counter(String name) {
        Long value = server.get(name);
        if (value == null) {
            throw new IllegalStateException("the servers' final stats lack " + name);
        }
        return value;
    }

    long benchmarkLost() {
        return benchmarkTally().lost();
    }

    long deliveriesExpected() {
        return chatSent * connected;
    }

    long deliveriesLost() {
        return deliveryTally().lost();
    }

    long lost() {
        return tallies().stream().mapToLong(Tally::lost).sum();
    }

    long duplicated() {
        return tallies().stream().mapToLong(Tally::duplicated).sum();
    }

    double serverBenchmarkRate() {
        return sendWindowSeconds > 0 ? server.getOrDefault("benchmark_messages", 0L) / sendWindowSeconds : 0;
    }

    /** Why this simulation failed, in words: its problems, loss, duplicates, users that did not connect. Empty: it passed. */
    List<String> reasons() {
        List<String> reasons = new ArrayList<>(problems);
        if (lost() > 0) reasons.add(lost() + " lost");
        if (duplicated() > 0) reasons.add(duplicated() + " duplicated");
        if (connectFailed > 0 || connected != usersTargeted) reasons.add(connected + " of " + usersTargeted + " users connected");
        if (targetRate > 0 && !targetReached() && serverBound()) reasons.add("the paced rate was not reached and the server was the limit: " + targetWords());
        return reasons;
    }

    boolean passed() {
        return reasons().isEmpty();
    }

    /** The probe phase the benchmark rate compares with: ack when each message awaited its ack, else fire. */
    private String benchmarkCeilingPhase() {
        return acked ? "ack" : "fire";
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("simulation", simulation);
        out.put("passed", passed());
        out.put("problems", problems);
        out.put("reasons", reasons());
        out.put("duration_s", durationMillis / 1000.0);
        out.put("users_targeted", usersTargeted);
        out.put("users_connected", connected);
        out.put("users_failed", connectFailed);
        out.put("connect_rate_per_s", Math.round(connectRate));
        out.put("connect_rate_offered_per_s", Math.round(connectRateOffered));
        out.put("connect_share_of_offered", share(connectRate, connectRateOffered));
        out.put("peak_connections", peakConnections);
        Map<String, Object> benchmark = new LinkedHashMap<>();
        benchmark.put("sent", benchmarkSent);
        benchmark.put("counted_by_servers", server.getOrDefault("benchmark_messages", 0L));
        benchmark.put("acked_by_servers", server.getOrDefault("acks", 0L));
        benchmark.put("acks_received", acksReceived);
        benchmark.put("acks_missing", ackTally().lost());
        benchmark.put("lost", benchmarkLost());
        benchmark.put("server_rate_per_s", Math.round(serverBenchmarkRate()));
        benchmark.put("send_window_s", sendWindowSeconds);
        benchmark.put("server_msgs_per_cpu_s", Math.round(serverMsgsPerCpuSecond));
        if (targetRate > 0) {
            benchmark.put("target_rate_per_s", Math.round(targetRate));
            benchmark.put("reached_target", targetReached());
            benchmark.put("share_of_target", share(serverBenchmarkRate(), targetRate));
        }
        if (ceiling != null && benchmarkSent > 0) {
            ceiling.share(benchmarkCeilingPhase(), serverBenchmarkRate()).ifPresent(share -> benchmark.put("share_of_ceiling", Math.round(share * 1000) / 1000.0));
        }
        out.put("benchmark", benchmark);
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("sent", chatSent);
        chat.put("counted_by_servers", server.getOrDefault("chat_messages", 0L));
        chat.put("deliveries_expected", deliveriesExpected());
        chat.put("deliveries_received", broadcastsReceived);
        chat.put("deliveries_written_by_servers", server.getOrDefault("deliveries", 0L));
        chat.put("deliveries_dropped_by_servers", server.getOrDefault("deliveries_dropped", 0L));
        chat.put("deliveries_lost", deliveriesLost());
        chat.put("delivery_latency_p99_ms_max_over_injectors", deliveryLatencyP99MaxOverInjectors);
        chat.put("deliveries_per_s", Math.round(deliveriesPerSecond));
        if (deliveriesOffered > 0) {
            chat.put("deliveries_offered_per_s", Math.round(deliveriesOffered));
            chat.put("delivery_share_of_offered", share(deliveriesPerSecond, deliveriesOffered));
        }
        if (ceiling != null && chatSent > 0) {
            ceiling.share("broadcast", deliveriesPerSecond).ifPresent(share -> chat.put("share_of_ceiling", Math.round(share * 1000) / 1000.0));
        }
        out.put("chat", chat);
        out.put("server_errors", server.getOrDefault("errors", 0L));
        out.put("lost", lost());
        out.put("duplicated", duplicated());
        out.put("requests", requests);
        out.put("processes", processes);
        out.put("report", report == null ? null : report.toString());
        out.put("report_peak_concurrent_users", reportPeakUsers);
        return out;
    }

    String table() {
        List<String> reasons = reasons();
        StringBuilder out = new StringBuilder(String.format("%n%s: %s%n", simulation, reasons.isEmpty() ? "passed" : "FAILED " + reasons));
        row(out, "users", String.format("%,d of %,d connected, %,d failed; peak %,d concurrent", connected, usersTargeted, connectFailed, peakConnections));
        row(out, "connect rate", String.format("%,.0f users/s of %,.0f offered (%.0f%%)", connectRate, connectRateOffered,
                100 * share(connectRate, connectRateOffered)));
        if (benchmarkSent > 0) {
            row(out, "benchmark messages", String.format("%,d sent, %,d counted by the servers, %,d acks received, %,d lost",
                    benchmarkSent, server.getOrDefault("benchmark_messages", 0L), acksReceived, benchmarkLost()));
            row(out, "  server rate", String.format("%,.0f msg/s over %.1f s; %,.0f msg per server CPU-second",
                    serverBenchmarkRate(), sendWindowSeconds, serverMsgsPerCpuSecond));
            if (targetRate > 0) {
                row(out, "  target", targetWords());
            }
            if (ceiling != null) {
                ceiling.describe(benchmarkCeilingPhase(), serverBenchmarkRate(), benchmarkCeilingPhase().equals("ack") ? "round trips/s" : "msg/s")
                        .ifPresent(words -> row(out, "  ceiling", words));
            }
        }
        if (chatSent > 0) {
            row(out, "chat messages", String.format("%,d sent, %,d counted by the servers", chatSent, server.getOrDefault("chat_messages", 0L)));
            row(out, "  deliveries", String.format("%,d expected (%,d x %,d users), %,d received, %,d lost, %,d dropped by servers",
                    deliveriesExpected(), chatSent, connected, broadcastsReceived, deliveriesLost(), server.getOrDefault("deliveries_dropped", 0L)));
            row(out, "  delivery rate", String.format("%,.0f deliveries/s received", deliveriesPerSecond)
                    + (deliveriesOffered > 0 ? String.format(" of %,.0f offered", deliveriesOffered) : ""));
            if (ceiling != null) {
                ceiling.describe("broadcast", deliveriesPerSecond, "deliveries/s").ifPresent(words -> row(out, "  ceiling", words));
            }
            row(out, "  delivery p99", deliveryLatencyP99MaxOverInjectors + " ms (highest of the injectors)");
        }
        row(out, "server errors", String.valueOf(server.getOrDefault("errors", 0L)));
        row(out, "LOST", String.valueOf(lost()));
        if (duplicated() > 0) {
            row(out, "DUPLICATED", duplicated() + " " + tallies().stream().filter(tally -> tally.duplicated() > 0)
                    .map(tally -> tally.what() + " +" + tally.duplicated()).toList());
        }
        requests.forEach((name, figures) -> row(out, "  " + name, String.valueOf(figures)));
        processes.forEach((name, figures) -> row(out, "  " + name, String.valueOf(figures)));
        if (report != null) row(out, "report", String.format("%s (charts %,d concurrent users at the peak)", report, reportPeakUsers));
        return out.toString();
    }

    private boolean targetReached() {
        return serverBenchmarkRate() >= 0.95 * targetRate;
    }

    /** The server ran at 80% or more of this machine's ceiling: the server, not the injectors, set the rate. */
    private boolean serverBound() {
        return ceiling != null && ceiling.share(benchmarkCeilingPhase(), serverBenchmarkRate()).map(share -> share >= 0.8).orElse(false);
    }

    /** Whether a paced run got the rate it asked for and, if not, who was short: the injectors or the server. */
    String targetWords() {
        double reached = serverBenchmarkRate() / targetRate;
        if (targetReached()) {
            return String.format("%,.0f msg/s asked, %.0f%% reached", targetRate, reached * 100);
        }
        Optional<Double> share = ceiling == null ? Optional.empty() : ceiling.share(benchmarkCeilingPhase(), serverBenchmarkRate());
        String who = share.isEmpty() ? "injector-bound or server-bound: the ceiling was not measured"
                : serverBound() ? "server-bound: near this machine's ceiling" : "injector-bound: the server had room (see the ceiling)";
        return String.format("%,.0f msg/s asked, only %.0f%% reached: %s", targetRate, reached * 100, who);
    }

    /** {@code part / whole} to three places, 0 when there is no whole. */
    private static double share(double part, double whole) {
        return whole > 0 ? Math.round(part / whole * 1000) / 1000.0 : 0;
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format("  %-22s %s%n", label, value));
    }
}
