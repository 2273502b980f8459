package io.wshunt.simulations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One run's end-to-end count: what the injector sent, what the server counted and acked, what
 * the users received. Loss is computed and shown, never hidden.
 */
final class Accounting {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String simulation;
    private final Settings settings;
    private final Counters counters;
    private final Optional<JsonNode> serverBefore;
    private final Optional<JsonNode> serverAfter;
    private final ServerSampler sampler;

    Accounting(String simulation, Settings settings, Counters counters, Optional<JsonNode> serverBefore, Optional<JsonNode> serverAfter,
               ServerSampler sampler) {
        this.sampler = sampler;
        this.simulation = simulation;
        this.settings = settings;
        this.counters = counters;
        this.serverBefore = serverBefore;
        this.serverAfter = serverAfter;
    }

    /** What the server counted during this run, when its /stats is known. */
    Optional<Long> serverDelta(String counter) {
        if (serverAfter.isEmpty()) {
            return Optional.empty();
        }
        long before = serverBefore.map(node -> node.path(counter).asLong()).orElse(0L);
        return Optional.of(serverAfter.get().path(counter).asLong() - before);
    }

    long benchmarkLostAtServer() {
        return serverDelta("benchmark_messages").map(counted -> Math.max(0, counters.benchmarkSent.sum() - counted)).orElse(0L);
    }

    long acksMissing() {
        return settings.acked() ? Math.max(0, counters.benchmarkSent.sum() - counters.acksReceived.sum()) : 0;
    }

    long chatLostAtServer() {
        return serverDelta("chat_messages").map(counted -> Math.max(0, counters.chatSent.sum() - counted)).orElse(0L);
    }

    long deliveriesExpected() {
        return counters.chatSent.sum() * counters.connected.sum();
    }

    long deliveriesReceived() {
        return counters.broadcastsReceived.sum();
    }

    long deliveriesLost() {
        return Math.max(0, deliveriesExpected() - deliveriesReceived());
    }

    /** Every message or delivery that did not arrive, wherever it was lost. */
    long lost() {
        return benchmarkLostAtServer() + acksMissing() + chatLostAtServer() + deliveriesLost();
    }

    String table() {
        StringBuilder out = new StringBuilder("\nwshunt " + simulation + ": end-to-end accounting\n");
        row(out, "users connected", counters.connected.sum() + " of " + settings.users() + " (" + counters.connectFailed.sum() + " failed)");
        row(out, "  connect rate", String.format("%,.0f users/s", counters.connectRate()));
        serverAfter.ifPresent(stats -> row(out, "server peak connections", stats.path("peak_connections").asText()));
        if (sampler != null) {
            row(out, "server resident memory", sampler.describe());
        }
        if (counters.benchmarkSent.sum() > 0) {
            row(out, "benchmark messages sent", String.valueOf(counters.benchmarkSent.sum()));
            serverDelta("benchmark_messages").ifPresent(counted -> row(out, "  counted by the server", counted + "  (lost " + benchmarkLostAtServer() + ")"));
            if (settings.acked()) {
                row(out, "  acks received", counters.acksReceived.sum() + "  (missing " + acksMissing() + ")");
            }
            serverDelta("benchmark_messages").ifPresent(counted -> row(out, "  server rate",
                    String.format("%,.0f msg/s over %.1f s", rate(counted), counters.sendWindowSeconds())));
        }
        if (counters.chatSent.sum() > 0) {
            row(out, "chat messages sent", String.valueOf(counters.chatSent.sum()));
            serverDelta("chat_messages").ifPresent(counted -> row(out, "  counted by the server", counted + "  (lost " + chatLostAtServer() + ")"));
            row(out, "deliveries expected", deliveriesExpected() + "  (" + counters.chatSent.sum() + " x " + counters.connected.sum() + " users)");
            row(out, "  received by users", deliveriesReceived() + "  (lost " + deliveriesLost() + ")");
            row(out, "  delivery rate", String.format("%,.0f deliveries/s", counters.deliveryRate()));
            row(out, "  senders' own echoes", counters.echoesReceived.sum() + " of " + counters.chatSent.sum());
            serverDelta("deliveries").ifPresent(sent -> row(out, "  written by the server", sent + "  (dropped " + serverDelta("deliveries_dropped").orElse(0L) + ")"));
            Map<?, ?> latency = (Map<?, ?>) counters.snapshot().get("delivery_latency_ms");
            row(out, "  delivery latency ms", "p50 " + latency.get("p50") + ", p95 " + latency.get("p95") + ", p99 " + latency.get("p99") + ", max " + latency.get("max"));
        }
        serverDelta("errors").ifPresent(errors -> row(out, "server protocol errors", String.valueOf(errors)));
        row(out, "LOST end to end", String.valueOf(lost()));
        return out.toString();
    }

    private double rate(long counted) {
        double window = counters.sendWindowSeconds();
        return window > 0 ? counted / window : 0;
    }

    /** Writes {@code <countersDir>/<simulation>-accounting.json} for the suite runner and CI. */
    Path save() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("simulation", simulation);
        out.put("settings", settings);
        out.put("injector", counters.snapshot());
        serverBefore.ifPresent(node -> out.put("server_before", node));
        serverAfter.ifPresent(node -> out.put("server_after", node));
        if (sampler != null) {
            out.put("server_memory", sampler.snapshot());
        }
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put("benchmark_lost_at_server", benchmarkLostAtServer());
        derived.put("acks_missing", acksMissing());
        derived.put("chat_lost_at_server", chatLostAtServer());
        derived.put("deliveries_expected", deliveriesExpected());
        derived.put("deliveries_received", deliveriesReceived());
        derived.put("deliveries_lost", deliveriesLost());
        derived.put("lost", lost());
        serverDelta("benchmark_messages").ifPresent(counted -> derived.put("server_benchmark_rate", rate(counted)));
        out.put("derived", derived);
        Path file = Path.of(settings.countersDir(), simulation + "-accounting.json");
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format("  %-28s %s%n", label, value));
    }
}
