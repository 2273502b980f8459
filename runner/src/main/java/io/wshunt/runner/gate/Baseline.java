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
                    metric.getValue().path("kind").asText(), metric.getValue().path("value").asDouble(),
                    metric.getValue().path("tolerance").asDouble())));
        }
        if (metrics.isEmpty()) {
            throw new IOException(file + " holds no metrics");
        }
        return metrics;
    }

    /**
     * Rewrites (or creates) a baseline from a run, keeping each metric's kind and tolerance when the
     * baseline already had it, so that a deliberate change only moves the values.
     */
    public static void update(Path file, JsonNode summary, String profile) throws IOException {
        Map<String, Metric> previous = new LinkedHashMap<>();
        if (Files.exists(file)) {
            read(file).forEach(metric -> previous.put(metric.id(), metric));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("profile", profile);
        root.put("updated", LocalDate.now().toString());
        root.set("machine", summary.path("machine"));
        root.put("users", summary.path("users").asInt());
        root.set("settings", summary.path("settings"));
        ObjectNode metrics = root.putObject("metrics");
        Figures.of(summary).forEach((simulation, figures) -> {
            ObjectNode node = metrics.putObject(simulation);
            figures.forEach((name, value) -> {
                Metric old = previous.get(simulation + "." + name);
                Metric metric = old == null ? Figures.defaultMetric(simulation, name, value)
                        : new Metric(simulation, name, old.kind(), value, old.tolerance());
                ObjectNode entry = node.putObject(name);
                entry.put("kind", metric.kind());
                entry.put("value", metric.kind().equals(Metric.MAX) && old != null ? old.baseline() : value);
                entry.put("tolerance", metric.tolerance());
            });
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), root);
    }
}
