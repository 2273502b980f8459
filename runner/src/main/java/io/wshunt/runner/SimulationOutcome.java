package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
    long deliveryLatencyP99MaxOverInjectors = -1;
    double sendWindowSeconds;
    double serverMsgsPerCpuSecond;
    double deliveriesPerSecond;
    final Map<String, Long> server = new LinkedHashMap<>();
    Map<String, Object> requests = Map.of();
    Map<String, Object> processes = Map.of();
    final List<String> problems = new ArrayList<>();
    Path report;
    long durationMillis;
    /** This machine's ceiling, measured by the probe before the run; null when it was not. */
    Ceiling ceiling;
    /** The probe phase the benchmark rate compares with: fire, or ack when each message awaited its ack. */
    String benchmarkCeilingPhase = "fire";

    SimulationOutcome(String simulation, int usersTargeted) {
        this.simulation = simulation;
        this.usersTargeted = usersTargeted;
    }

    /** Adds one injector's accounting JSON (written by the simulation's after hook). */
    void addInjector(Path accounting) throws IOException {
        JsonNode node = Http.JSON.readTree(Files.readString(accounting)).path("injector");
        connected += node.path("connected").asLong();
        connectFailed += node.path("connect_failed").asLong();
        connectRate += node.path("connect_rate_per_s").asDouble();
        benchmarkSent += node.path("benchmark_sent").asLong();
        acksReceived += node.path("acks_received").asLong();
        chatSent += node.path("chat_sent").asLong();
        broadcastsReceived += node.path("broadcasts_received").asLong();
        sendWindowSeconds = Math.max(sendWindowSeconds, node.path("send_window_s").asDouble());
        deliveriesPerSecond += node.path("delivery_rate_per_s").asDouble();
        JsonNode latency = node.path("delivery_latency_ms");
        if (latency.path("count").asLong() > 0) {
            deliveryLatencyP99MaxOverInjectors = Math.max(deliveryLatencyP99MaxOverInjectors, latency.path("p99").asLong());
        }
    }

    long benchmarkLost() {
        return Math.max(0, benchmarkSent - server.getOrDefault("benchmark_messages", 0L));
    }

    long chatLost() {
        return Math.max(0, chatSent - server.getOrDefault("chat_messages", 0L));
    }

    long deliveriesExpected() {
        return chatSent * connected;
    }

    long deliveriesLost() {
        return Math.max(0, deliveriesExpected() - broadcastsReceived);
    }

    double serverBenchmarkRate() {
        return sendWindowSeconds > 0 ? server.getOrDefault("benchmark_messages", 0L) / sendWindowSeconds : 0;
    }

    long lost() {
        return benchmarkLost() + chatLost() + deliveriesLost();
    }

    boolean passed() {
        return problems.isEmpty() && lost() == 0 && connectFailed == 0 && connected == usersTargeted;
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("simulation", simulation);
        out.put("passed", passed());
        out.put("problems", problems);
        out.put("duration_s", durationMillis / 1000.0);
        out.put("users_targeted", usersTargeted);
        out.put("users_connected", connected);
        out.put("users_failed", connectFailed);
        out.put("connect_rate_per_s", Math.round(connectRate));
        out.put("peak_connections", peakConnections);
        Map<String, Object> benchmark = new LinkedHashMap<>();
        benchmark.put("sent", benchmarkSent);
        benchmark.put("counted_by_servers", server.getOrDefault("benchmark_messages", 0L));
        benchmark.put("acked_by_servers", server.getOrDefault("acks", 0L));
        benchmark.put("acks_received", acksReceived);
        benchmark.put("lost", benchmarkLost());
        benchmark.put("server_rate_per_s", Math.round(serverBenchmarkRate()));
        benchmark.put("send_window_s", sendWindowSeconds);
        benchmark.put("server_msgs_per_cpu_s", Math.round(serverMsgsPerCpuSecond));
        if (ceiling != null && benchmarkSent > 0) {
            ceiling.share(benchmarkCeilingPhase, serverBenchmarkRate()).ifPresent(share -> benchmark.put("share_of_ceiling", Math.round(share * 1000) / 1000.0));
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
        if (ceiling != null && chatSent > 0) {
            ceiling.share("broadcast", deliveriesPerSecond).ifPresent(share -> chat.put("share_of_ceiling", Math.round(share * 1000) / 1000.0));
        }
        out.put("chat", chat);
        out.put("server_errors", server.getOrDefault("errors", 0L));
        out.put("lost", lost());
        out.put("requests", requests);
        out.put("processes", processes);
        out.put("report", report == null ? null : report.toString());
        return out;
    }

    String table() {
        StringBuilder out = new StringBuilder(String.format("%n%s: %s%n", simulation, passed() ? "passed" : "FAILED " + problems));
        row(out, "users", String.format("%,d of %,d connected, %,d failed; peak %,d concurrent", connected, usersTargeted, connectFailed, peakConnections));
        row(out, "connect rate", String.format("%,.0f users/s", connectRate));
        if (benchmarkSent > 0) {
            row(out, "benchmark messages", String.format("%,d sent, %,d counted by the servers, %,d acks received, %,d lost",
                    benchmarkSent, server.getOrDefault("benchmark_messages", 0L), acksReceived, benchmarkLost()));
            row(out, "  server rate", String.format("%,.0f msg/s over %.1f s; %,.0f msg per server CPU-second",
                    serverBenchmarkRate(), sendWindowSeconds, serverMsgsPerCpuSecond));
            if (ceiling != null) {
                ceiling.describe(benchmarkCeilingPhase, serverBenchmarkRate(), benchmarkCeilingPhase.equals("ack") ? "round trips/s" : "msg/s")
                        .ifPresent(words -> row(out, "  ceiling", words));
            }
        }
        if (chatSent > 0) {
            row(out, "chat messages", String.format("%,d sent, %,d counted by the servers", chatSent, server.getOrDefault("chat_messages", 0L)));
            row(out, "  deliveries", String.format("%,d expected (%,d x %,d users), %,d received, %,d lost, %,d dropped by servers",
                    deliveriesExpected(), chatSent, connected, broadcastsReceived, deliveriesLost(), server.getOrDefault("deliveries_dropped", 0L)));
            row(out, "  delivery rate", String.format("%,.0f deliveries/s received", deliveriesPerSecond));
            if (ceiling != null) {
                ceiling.describe("broadcast", deliveriesPerSecond, "deliveries/s").ifPresent(words -> row(out, "  ceiling", words));
            }
            row(out, "  delivery p99", deliveryLatencyP99MaxOverInjectors + " ms (highest of the injectors)");
        }
        row(out, "server errors", String.valueOf(server.getOrDefault("errors", 0L)));
        row(out, "LOST", String.valueOf(lost()));
        requests.forEach((name, figures) -> row(out, "  " + name, String.valueOf(figures)));
        processes.forEach((name, figures) -> row(out, "  " + name, String.valueOf(figures)));
        if (report != null) row(out, "report", report.toString());
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format("  %-22s %s%n", label, value));
    }
}
