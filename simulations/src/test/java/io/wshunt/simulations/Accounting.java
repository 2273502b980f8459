package io.wshunt.simulations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.report.EndToEnd;
import io.wshunt.report.InjectorAccounting;

/**
 * One injector's end-to-end count: what its users sent, what the server counted and acked, what
 * the users received, set against each other by the shared {@link EndToEnd}. When this injector
 * is one of several (the suite runner's), it sees only its part: the runner judges the whole.
 */
final class Accounting {
    private final String simulation;
    private final Settings settings;
    private final Counters counters;
    private final Optional<JsonNode> serverBefore;
    private final Optional<JsonNode> serverAfter;
    private final ServerSampler sampler;
    /** Every server's counters summed, at this injector's start and end (see {@link ClusterView#counters()}); empty when not read. */
    private Map<String, Object> clusterCounters = Map.of();

    Accounting(String simulation, Settings settings, Counters counters, Optional<JsonNode> serverBefore, Optional<JsonNode> serverAfter,
               ServerSampler sampler) {
        this.sampler = sampler;
        this.simulation = simulation;
        this.settings = settings;
        this.counters = counters;
        this.serverBefore = serverBefore;
        this.serverAfter = serverAfter;
    }

    Accounting clusterCounters(Optional<Map<String, Long>> before, Optional<Map<String, Long>> after) {
        if (before.isPresent() && after.isPresent()) {
            clusterCounters = Map.of("before", before.get(), "after", after.get());
        }
        return this;
    }

    /** What the server counted during this run, when its /stats is known and has that counter. */
    Optional<Long> serverDelta(String counter) {
        if (serverAfter.isEmpty() || !serverAfter.get().has(counter)) {
            return Optional.empty(); // a server that does not count it: "not counted", never 0
        }
        long before = serverBefore.map(node -> node.path(counter).asLong()).orElse(0L);
        return Optional.of(serverAfter.get().path(counter).asLong() - before);
    }

    long serverAfterPeakConnections() {
        return serverAfter.map(stats -> stats.path("peak_connections").asLong()).orElse(0L);
    }

    /** This injector alone drove the run, so its counts are the whole run's. */
    boolean wholeRun() {
        return settings.clusterStatsUrls().isBlank() && settings.peersDir().isBlank();
    }

    EndToEnd endToEnd() {
        return new EndToEnd(counters.snapshot(), settings.acked(), known(serverDelta("benchmark_messages")), known(serverDelta("chat_messages")));
    }

    private static OptionalLong known(Optional<Long> value) {
        return value.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Every message or delivery that did not arrive, wherever it was lost; 0 when the runner judges. */
    long lost() {
        return wholeRun() ? endToEnd().lost() : 0;
    }

    long duplicated() {
        return wholeRun() ? endToEnd().duplicated() : 0;
    }

    String table() {
        InjectorAccounting.Counts counts = counters.snapshot();
        StringBuilder out = new StringBuilder("\nwshunt " + simulation + ": end-to-end accounting\n");
        row(out, "users connected", counts.connected() + " of " + settings.users() + " (" + counts.connectFailed() + " failed)");
        row(out, "  connect rate", String.format("%,.0f users/s of %,d offered", counts.connectRatePerS(), settings.connectRate()));
        serverAfter.ifPresent(stats -> row(out, "server peak connections", stats.path("peak_connections").asText()));
        if (sampler != null) {
            row(out, "server resident memory", sampler.describe());
        }
        if (counts.benchmarkSent() > 0) {
            row(out, "benchmark messages sent", String.valueOf(counts.benchmarkSent()));
            serverDelta("benchmark_messages").ifPresent(counted -> row(out, "  server rate",
                    String.format("%,.0f msg/s over %.1f s", counts.sendWindowS() > 0 ? counted / counts.sendWindowS() : 0, counts.sendWindowS())));
        }
        if (counts.chatSent() > 0) {
            row(out, "chat messages sent", String.valueOf(counts.chatSent()));
            row(out, "  delivery rate", String.format("%,.0f deliveries/s", counts.deliveryRatePerS()));
            row(out, "  senders' own echoes", counts.echoesReceived() + " of " + counts.chatSent());
            serverDelta("deliveries").ifPresent(sent -> row(out, "  written by the server", sent + "  (dropped " + serverDelta("deliveries_dropped").orElse(0L) + ")"));
            InjectorAccounting.Latency latency = counts.deliveryLatencyMs();
            row(out, "  delivery latency ms", "p50 " + latency.p50() + ", p95 " + latency.p95() + ", p99 " + latency.p99() + ", max " + latency.max());
        }
        serverDelta("errors").ifPresent(errors -> row(out, "server protocol errors", String.valueOf(errors)));
        if (!wholeRun()) {
            row(out, "loss", "judged by the suite runner over every injector and server");
            return out.toString();
        }
        for (EndToEnd.Tally tally : endToEnd().tallies()) {
            if (tally.expected() > 0 || tally.arrived() > 0) {
                row(out, tally.what(), String.format("%,d of %,d  (lost %,d%s)", tally.arrived(), tally.expected(), tally.lost(),
                        tally.duplicated() > 0 ? ", DUPLICATED " + tally.duplicated() : ""));
            }
        }
        endToEnd().notCounted().forEach(why -> row(out, "NOT COUNTED", why));
        row(out, "LOST end to end", endToEnd().lossCounted() ? String.valueOf(lost()) : lost() + " of what could be counted; the rest is not counted");
        if (duplicated() > 0) {
            row(out, "DUPLICATED", String.valueOf(duplicated()));
        }
        return out.toString();
    }

    /** Writes {@code <countersDir>/<simulation>-accounting.json} for the suite runner, CI and the run page. */
    Path save() {
        Map<String, Object> forPeople = new LinkedHashMap<>();
        serverBefore.ifPresent(node -> forPeople.put("server_before", node));
        serverAfter.ifPresent(node -> forPeople.put("server_after", node));
        if (sampler != null) {
            forPeople.put("server_memory", sampler.snapshot());
        }
        if (!clusterCounters.isEmpty()) {
            forPeople.put(InjectorAccounting.CLUSTER_COUNTERS, clusterCounters);
        }
        if (counters.broadcastsReceived.sum() > 0) {
            forPeople.put(InjectorAccounting.DELIVERIES_BY_SECOND, counters.deliveriesBySecond());
        }
        Map<String, Object> derived = new LinkedHashMap<>();
        endToEnd().tallies().forEach(tally -> derived.put(tally.what(), Map.of("expected", tally.expected(), "arrived", tally.arrived(),
                "lost", tally.lost(), "duplicated", tally.duplicated())));
        derived.put("lost", lost());
        derived.put("not_counted", endToEnd().notCounted());
        derived.put("duplicated", duplicated());
        forPeople.put("derived", derived);
        Path file = InjectorAccounting.file(Path.of(settings.countersDir()), simulation);
        try {
            InjectorAccounting.write(file, simulation, settings, counters.snapshot(), forPeople);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format("  %-42s %s%n", label, value));
    }
}
