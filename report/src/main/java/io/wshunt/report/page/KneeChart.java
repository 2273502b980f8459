package io.wshunt.report.page;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshunt.report.Capacity;

/**
 * The limit finder on the run page: per path, what limited it, and the knee chart, achieved and
 * p99 against offered per step, with the probe's ceiling drawn across it.
 */
final class KneeChart {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KneeChart() {
    }

    static boolean present(JsonNode capacity) {
        return capacity.isObject() && capacity.size() > 0;
    }

    /** What makes the run fail: each path the finder could not measure, with why. */
    static List<String> failures(JsonNode capacity) {
        List<String> reasons = new ArrayList<>();
        capacity.fields().forEachRemaining(path -> {
            if (path.getValue().path("limited_by").asText().equals(Capacity.NOT_MEASURED)) {
                reasons.add("capacity of " + path.getKey() + ": " + path.getValue().path("why").asText());
            }
        });
        return reasons;
    }

    static void section(StringBuilder html, JsonNode capacity) {
        if (!present(capacity)) {
            return;
        }
        html.append("<h2 id=\"capacity\">Capacity: what the server takes, and what stops it</h2>\n");
        for (Iterator<Map.Entry<String, JsonNode>> paths = capacity.fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            JsonNode path = entry.getValue();
            String unit = path.path("unit").asText();
            html.append("<h3>").append(RunPage.escape(entry.getKey())).append("</h3>\n<p class=\"capacity\">")
                    .append("Highest rate that held: <b>").append(figure(path.path("highest_held_per_s"), unit)).append("</b>; first that broke: ")
                    .append(figure(path.path("first_broken_per_s"), unit)).append("; limited by <b>").append(RunPage.escape(path.path("limited_by").asText()))
                    .append("</b>: ").append(RunPage.escape(path.path("why").asText())).append(". This machine's ceiling (the probe, same run): ")
                    .append(figure(path.path("ceiling_per_s"), unit)).append(".</p>\n");
            if (path.path("cost").has("in_words")) {
                html.append("<p class=\"capacity\">What each side would take alone: ").append(RunPage.escape(path.path("cost").path("in_words").asText()))
                        .append(".</p>\n");
            }
            path.path("notes").forEach(note -> html.append("<p>").append(RunPage.escape(note.asText())).append("</p>\n"));
            hottest(html, path);
            if (path.path("steps").size() > 0) {
                html.append("<div style=\"height:20em\"><canvas class=\"knee-chart\" id=\"knee-").append(RunPage.escape(entry.getKey()))
                        .append("\"></canvas></div>\n");
                steps(html, path.path("steps"));
            }
            html.append("<p>Each ladder is a run of its own, with its Gatling report:");
            path.path("runs").forEach(run -> html.append(" <a class=\"report\" href=\"").append(RunPage.escape(run.path("report").asText())).append("\">")
                    .append(RunPage.escape(run.path("name").asText())).append("</a> (").append(run.path("step_seconds").asInt()).append(" s a step)"));
            html.append("</p>\n");
        }
    }

    /** Where the CPU went in the first broken step: the busiest methods of each recorded process. */
    private static void hottest(StringBuilder html, JsonNode path) {
        JsonNode hottest = path.path("hottest_at_first_broken");
        if (hottest.size() == 0) {
            return;
        }
        html.append("<p>Where the CPU went in the first broken step (flight recordings, the share of each process's samples):</p><ul class=\"hottest\">");
        hottest.fields().forEachRemaining(process -> {
            List<String> methods = new ArrayList<>();
            process.getValue().forEach(method -> methods.add(method.asText()));
            html.append("<li><b>").append(RunPage.escape(process.getKey())).append("</b>: ").append(RunPage.escape(String.join(", ", methods)))
                    .append("</li>");
        });
        html.append("</ul>\n");
    }

    private static void steps(StringBuilder html, JsonNode steps) {
        html.append("<table class=\"steps\"><tr><th>offered/s</th><th>achieved/s</th><th>p99 ms</th><th title=\"how long a broadcast took on average from a server having it to having written it to every user of a delivery lane\">fan-out ms</th><th>failed</th><th>server CPU %</th>"
                + "<th>injector CPU %</th><th>Redis CPU %</th><th>machine CPU %</th><th>held</th></tr>");
        for (JsonNode step : steps) {
            html.append("<tr>");
            for (String field : List.of("offered_per_s", "achieved_per_s", "p99_ms", "fan_out_ms", "failed", "server_cpu_percent", "injector_cpu_percent",
                    "redis_cpu_percent", "machine_cpu_percent")) {
                JsonNode value = step.path(field);
                html.append("<td class=\"n\">").append(value.isNumber() ? String.format("%,d", value.asLong()) : "-").append("</td>");
            }
            List<String> broke = new ArrayList<>();
            step.path("broke_on").forEach(reason -> broke.add(reason.asText()));
            String held = step.path("warm_up").asBoolean() ? "warm-up of a fresh injector, not judged"
                    : step.path("held").asBoolean() ? "yes" : "no: " + String.join("; ", broke);
            html.append("<td>").append(RunPage.escape(held)).append("</td></tr>");
        }
        html.append("</table>\n");
    }

    private static String figure(JsonNode value, String unit) {
        return value.isNumber() ? String.format("%,d %s", value.asLong(), RunPage.escape(unit)) : "none";
    }

    /** Chart.js data per path: achieved and offered against offered, p99 on its own axis, the ceiling flat across. */
    static String script(JsonNode capacity) throws IOException {
        StringBuilder script = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> paths = capacity.fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            JsonNode steps = entry.getValue().path("steps");
            if (steps.size() == 0) continue;
            ArrayNode datasets = JSON.createArrayNode();
            ArrayNode achieved = dataset(datasets, "achieved/s", "y").putArray("data");
            ObjectNode offeredLine = dataset(datasets, "offered/s", "y");
            offeredLine.putArray("borderDash").add(6).add(4);
            ArrayNode offered = offeredLine.putArray("data");
            ArrayNode p99 = dataset(datasets, "p99 ms", "ms").putArray("data");
            for (JsonNode step : steps) {
                long x = step.path("offered_per_s").asLong();
                achieved.addObject().put("x", x).put("y", step.path("achieved_per_s").asLong());
                offered.addObject().put("x", x).put("y", x);
                if (step.path("p99_ms").isNumber()) {
                    p99.addObject().put("x", x).put("y", step.path("p99_ms").asLong()); // fire-and-forget has none
                }
            }
            JsonNode ceiling = entry.getValue().path("ceiling_per_s");
            if (ceiling.isNumber()) {
                ObjectNode ceilingLine = dataset(datasets, "ceiling (probe, same run)", "y").put("pointRadius", 0);
                ArrayNode line = ceilingLine.putArray("data");
                line.addObject().put("x", steps.get(0).path("offered_per_s").asLong()).put("y", ceiling.asLong());
                line.addObject().put("x", steps.get(steps.size() - 1).path("offered_per_s").asLong()).put("y", ceiling.asLong());
            }
            script.append("""
                    new Chart(document.getElementById('knee-%1$s'), {type: 'line', data: {datasets: %2$s}, options: {animation: false,
                      maintainAspectRatio: false, scales: {x: {type: 'linear', title: {display: true, text: 'offered per second'}},
                      y: {beginAtZero: true, title: {display: true, text: 'per second'}},
                      ms: {position: 'right', beginAtZero: true, grid: {drawOnChartArea: false}, title: {display: true, text: 'p99 ms'}}}}});
                    document.getElementById('knee-%1$s').dataset.points = %3$d;
                    """.formatted(entry.getKey(), JSON.writeValueAsString(datasets), steps.size()));
        }
        return script.toString();
    }

    private static ObjectNode dataset(ArrayNode datasets, String label, String axis) {
        return datasets.addObject().put("label", label).put("yAxisID", axis);
    }
}
