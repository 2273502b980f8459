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
            // Achieved against offered: a rate that only echoes the setting could never fall.
            figures.put("connect_share_of_offered", number(simulation, "connect_share_of_offered"));
            figures.put("users_failed", number(simulation, "users_failed"));
            figures.put("lost", number(simulation, "lost"));
            figures.put("error_percent", errorPercent(simulation.path("requests")));
            JsonNode benchmark = simulation.path("benchmark");
            if (number(benchmark, "sent") > 0) {
                // A paced run's rate follows its pace: what can fall is the share of it reached.
                if (benchmark.has("share_of_target")) {
                    figures.put("share_of_target", number(benchmark, "share_of_target"));
                } else {
                    figures.put("server_msgs_per_s", number(benchmark, "server_rate_per_s"));
                }
                figures.put("server_msgs_per_cpu_s", number(benchmark, "server_msgs_per_cpu_s"));
                // Close to exact from run to run, unlike CPU time on a shared machine; absent from servers that do not count it.
                if (benchmark.has("server_bytes_per_msg")) {
                    figures.put("server_bytes_per_msg", number(benchmark, "server_bytes_per_msg"));
                }
            }
            JsonNode ack = simulation.path("requests").path("ack");
            if (!ack.isMissingNode()) {
                figures.put("ack_p50_ms", number(ack, "p50_ms"));
                figures.put("ack_p95_ms", number(ack, "p95_ms"));
                figures.put("ack_p99_ms", number(ack, "p99_ms"));
            }
            JsonNode chat = simulation.path("chat");
            if (number(chat, "sent") > 0) {
                figures.put("delivery_p99_ms", number(chat, "delivery_latency_p99_ms_max_over_injectors"));
                // The delivery rate follows chatIntervalMillis; what can fall is the share of the offered rate received.
                if (chat.has("delivery_share_of_offered")) {
                    figures.put("delivery_share_of_offered", number(chat, "delivery_share_of_offered"));
                }
            }
            out.put(simulation.path("simulation").asText(), figures);
        }
        return out;
    }

    /** A figure the summary must hold: a renamed or missing one is an error, never a quiet zero that passes. */
    private static double number(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("the summary lacks the figure " + field + " (in " + parent.toString().substring(0, Math.min(80, parent.toString().length())) + "...)");
        }
        return value.asDouble();
    }

    private static double errorPercent(JsonNode requests) {
        long all = 0;
        long failed = 0;
        for (JsonNode request : requests) {
            all += (long) (number(request, "ok") + number(request, "ko"));
            failed += (long) number(request, "ko");
        }
        // No request at all is no error rate: not measured, never 0%.
        return all == 0 ? Double.NaN : 100.0 * failed / all;
    }

    /** How a new baseline judges a figure, by its name: loss and errors absolutely, the rest relative. */
    public static Metric defaultMetric(String simulation, String name, double value) {
        return switch (name) {
            case "users_failed", "lost" -> new Metric(simulation, name, Metric.MAX, value, 0);
            case "error_percent" -> new Metric(simulation, name, Metric.MAX, value, 0.1);
            case "ack_p50_ms", "ack_p95_ms", "ack_p99_ms", "delivery_p99_ms" -> new Metric(simulation, name, Metric.LOWER, value, 0.5);
            case "server_bytes_per_msg" -> new Metric(simulation, name, Metric.LOWER, value, 0.1);
            default -> new Metric(simulation, name, Metric.HIGHER, value, 0.2);
        };
    }
}
