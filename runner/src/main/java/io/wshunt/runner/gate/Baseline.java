package io.wshunt.runner.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A checked-in baseline ({@code results/<profile>.json}): per simulation, the figures that
 * matter with how each is judged, plus the settings and environment they were measured in.
 */
public final class Baseline {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Baseline() {
    }

    public static List<Metric> read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        List<Metric> metrics = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> simulations = root.path("metrics").fields();
        while (simulations.hasNext()) {
            Map.Entry<String, JsonNode> simulation = simulations.next();
            simulation.getValue().fields().forEachRemaining(metric -> metrics.add(new Metric(simulation.getKey(), metric.getKey(),
                    metric.getValue().path("kind").asText(), required(file, simulation.getKey(), metric, "value"),
                    required(file, simulation.getKey(), metric, "tolerance"))));
        }
        if (metrics.isEmpty()) {
            throw new IOException(file + " holds no metrics");
        }
        return metrics;
    }

    /** A number the baseline must hold: a missing one is an error, never a quiet 0 that judges nothing. */
    private static double required(Path file, String simulation, Map.Entry<String, JsonNode> metric, String field) {
        JsonNode value = metric.getValue().get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException(file + ": " + simulation + "." + metric.getKey() + " has no numeric " + field);
        }
        return value.asDouble();
    }

    /**
     * Rewrites (or creates) a baseline from one run or several of the same settings: each value is
     * the median over the runs, with their range beside it. Each metric keeps its kind and tolerance
     * when the baseline already had it, so that a deliberate change only moves the values.
     */
    public static void update(Path file, List<JsonNode> runs, String profile) throws IOException {
        JsonNode summary = runs.get(0);
        for (JsonNode run : runs) {
            if (!run.path("settings").equals(summary.path("settings")) || run.path("users").asInt() != summary.path("users").asInt()) {
                throw new IllegalArgumentException("the runs differ in users or settings: a baseline is the median of runs of one load");
            }
        }
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            Figures.of(run).forEach((simulation, figures) -> figures.forEach((name, value) ->
                    values.computeIfAbsent(simulation, key -> new LinkedHashMap<>()).computeIfAbsent(name, key -> new ArrayList<>()).add(value)));
        }
        Map<String, Metric> previous = new LinkedHashMap<>();
        if (Files.exists(file)) {
            read(file).forEach(metric -> previous.put(metric.id(), metric));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("profile", profile);
        root.put("updated", LocalDate.now().toString());
        root.set("machine", summary.path("machine"));
        root.put("users", summary.path("users").asInt());
        root.put("runs", runs.size());
        root.set("settings", summary.path("settings"));
        ObjectNode metrics = root.putObject("metrics");
        values.forEach((simulation, figures) -> {
            ObjectNode node = metrics.putObject(simulation);
            figures.forEach((name, all) -> {
                List<Double> sorted = all.stream().sorted().toList();
                double value = sorted.get(sorted.size() / 2);
                Metric old = previous.get(simulation + "." + name);
                Metric metric = old == null ? Figures.defaultMetric(simulation, name, value)
                        : new Metric(simulation, name, old.kind(), value, old.tolerance());
                ObjectNode entry = node.putObject(name);
                entry.put("kind", metric.kind());
                entry.put("value", metric.kind().equals(Metric.MAX) && old != null ? old.baseline() : value);
                entry.put("tolerance", metric.tolerance());
                if (sorted.size() > 1) {
                    entry.putArray("range").add(sorted.get(0)).add(sorted.get(sorted.size() - 1));
                }
            });
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), root);
    }
}
