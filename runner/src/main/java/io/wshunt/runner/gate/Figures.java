package io.wshunt.runner.gate;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The figures of a run's summary.json that a baseline can hold, by simulation and name. */
public final class Figures {
    private Figures() {
    }

    /** simulation -> metric name -> value, for every simulation in the summary. */
    public static Map<String, Map<String, Double>> of(JsonNode summary) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (JsonNode simulation : summary.path("simulations")) {
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("connect_rate_per_s", simulation.path("connect_rate_per_s").asDouble());
            figures.put("users_failed", simulation.path("users_failed").asDouble());
            figures.put("lost", simulation.path("lost").asDouble());
            figures.put("error_percent", errorPercent(simulation.path("requests")));
            JsonNode benchmark = simulation.path("benchmark");
            if (benchmark.path("sent").asLong() > 0) {
                figures.put("server_msgs_per_s", benchmark.path("server_rate_per_s").asDouble());
                figures.put("server_msgs_per_cpu_s", benchmark.path("server_msgs_per_cpu_s").asDouble());
            }
            JsonNode ack = simulation.path("requests").path("ack");
            if (!ack.isMissingNode()) {
                figures.put("ack_p50_ms", ack.path("p50_ms").asDouble());
                figures.put("ack_p95_ms", ack.path("p95_ms").asDouble());
                figures.put("ack_p99_ms", ack.path("p99_ms").asDouble());
            }
            JsonNode chat = simulation.path("chat");
            if (chat.path("sent").asLong() > 0) {
                figures.put("delivery_p99_ms", chat.path("delivery_latency_p99_ms_max_over_injectors").asDouble());
                figures.put("deliveries_per_s", chat.path("deliveries_per_s").asDouble());
            }
            out.put(simulation.path("simulation").asText(), figures);
        }
        return out;
    }

    private static double errorPercent(JsonNode requests) {
        long all = 0;
        long failed = 0;
        for (JsonNode request : requests) {
            all += request.path("ok").asLong() + request.path("ko").asLong();
            failed += request.path("ko").asLong();
        }
        return all == 0 ? 0 : 100.0 * failed / all;
    }

    /** How a new baseline judges a figure, by its name: loss and errors absolutely, the rest relative. */
    public static Metric defaultMetric(String simulation, String name, double value) {
        return switch (name) {
            case "users_failed", "lost" -> new Metric(simulation, name, Metric.MAX, value, 0);
            case "error_percent" -> new Metric(simulation, name, Metric.MAX, value, 0.1);
            case "ack_p50_ms", "ack_p95_ms", "ack_p99_ms", "delivery_p99_ms" -> new Metric(simulation, name, Metric.LOWER, value, 0.5);
            default -> new Metric(simulation, name, Metric.HIGHER, value, 0.2);
        };
    }
}
