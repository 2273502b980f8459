package io.wshunt.report.page;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshunt.report.SimulationOutcome;

/**
 * One page per run ({@code <out>/index.html}), built from its {@code summary.json}: the verdict
 * first, then per simulation what was sent, counted, acked and delivered, the latencies, the share
 * of this machine's ceiling and a link to Gatling's report; the ceiling, the preflight and the plan;
 * and the trend of the main figures over the runs in the history. Self-contained: Chart.js (MIT)
 * is inlined from its WebJar, so the page opens from disk with no network.
 */
public final class RunPage {
    /** Chart.js as its WebJar ships it; the version is the one the parent pom pins. */
    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    /**
     * The figures drawn over time: the ones the gate judges, rates on the left axis and shares
     * (achieved / offered, reached / paced) on the right.
     */
    private static final List<String> TRENDS = List.of("MessageThroughput.server_msgs_per_s", "MessageThroughput.server_msgs_per_cpu_s",
            "Endurance.server_msgs_per_cpu_s", "ConnectionRamp.connect_share_of_offered", "Endurance.share_of_target",
            "ChatBroadcast.delivery_share_of_offered");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunPage() {
    }

    /**
     * Writes {@code <outDir>/index.html}; returns its path. {@code baseline}: the checked-in value of
     * each figure ({@code Simulation.metric}), drawn as a dashed line beside its trend.
     */
    public static Path write(Path outDir, JsonNode summary, List<JsonNode> history, Map<String, Double> baseline) throws IOException {
        StringBuilder html = new StringBuilder();
        boolean passed = true;
        List<String> reasons = new ArrayList<>();
        for (JsonNode simulation : summary.path("simulations")) {
            passed &= simulation.path("passed").asBoolean();
            simulation.path("reasons").forEach(reason -> reasons.add(simulation.path("simulation").asText() + ": " + reason.asText()));
        }
        for (JsonNode test : summary.path("seed").path("tests")) {
            // A seed test fails on its own limit (the ramp's connect p99) even when its simulation passed.
            passed &= test.path("passed").asBoolean() && !test.has("not_measured");
            if (test.has("not_measured")) {
                reasons.add("the seed's " + test.path("test").asText() + ": not measured: " + test.path("not_measured").asText());
            }
            for (JsonNode reason : test.path("reasons")) {
                String line = test.path("simulation").asText() + ": " + reason.asText();
                if (!reasons.contains(line)) reasons.add(line);
            }
        }
        JsonNode capacity = summary.path("capacity");
        List<String> unmeasured = KneeChart.failures(capacity);
        reasons.addAll(unmeasured);
        passed &= unmeasured.isEmpty();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>wshunt run</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}td.n{text-align:right}")
                .append(".verdict{font-size:1.6em;padding:.5em 1em;border-radius:.3em}.passed{background:#d8f5d8}.failed{background:#f9d6d6}")
                .append("</style></head><body>\n<h1>wshunt run</h1>\n");
        html.append("<div id=\"verdict\" class=\"verdict ").append(passed ? "passed\">PASSED" : "failed\">FAILED").append("</div>\n");
        if (!reasons.isEmpty()) {
            html.append("<ul id=\"reasons\">");
            reasons.forEach(reason -> html.append("<li>").append(escape(reason)).append("</li>"));
            html.append("</ul>\n");
        }
        JsonNode plan = summary.path("plan");
        String servers = plan.has("target") ? "a server of its own at " + plan.path("target").asText() : plan.path("servers").asInt() + " server process(es)";
        html.append("<p>").append(summary.path("users").asInt()).append(" users; ").append(escape(servers))
                .append(", ").append(plan.path("injectors").asInt()).append(" injector(s); ")
                .append(escape(summary.path("machine").path("os").asText())).append(", ").append(summary.path("machine").path("cpus").asInt())
                .append(" CPUs.</p>\n");
        if (!summary.path("simulations").isEmpty()) {
            overview(html, summary.path("simulations"));
        }
        seed(html, summary.path("seed"));
        KneeChart.section(html, capacity);
        for (JsonNode simulation : summary.path("simulations")) {
            simulation(html, outDir, simulation);
        }
        gate(html, summary.path("gate"));
        ceiling(html, summary.path("ceiling"), summary.at("/plan/target"));
        trend(html, history);
        preflight(html, summary.path("preflight"));
        boolean knee = KneeChart.present(capacity);
        if (!history.isEmpty() || knee) {
            html.append("<script>").append(chartJs()).append("</script>\n<script>")
                    .append(history.isEmpty() ? "" : trendScript(history, baseline))
                    .append(knee ? KneeChart.script(capacity) : "").append("</script>\n");
        }
        html.append("</body></html>\n");
        Path page = outDir.resolve("index.html");
        Files.writeString(page, html.toString(), StandardCharsets.UTF_8);
        return page;
    }

    /** One line per simulation, for the glance: verdict, users, the rate that matters, its share of the ceiling, loss. */
    private static void overview(StringBuilder html, JsonNode simulations) {
        html.append("<table class=\"overview\"><tr><th>simulation</th><th>verdict</th><th>users connected</th><th>rate</th><th>share of ceiling</th><th>lost</th></tr>");
        for (JsonNode simulation : simulations) {
            String name = simulation.path("simulation").asText();
            JsonNode benchmark = simulation.path("benchmark");
            JsonNode chat = simulation.path("chat");
            JsonNode section = chat.path("sent").asLong() > 0 ? chat : benchmark;
            String rate = chat.path("sent").asLong() > 0 ? String.format("%,d deliveries/s", chat.path("deliveries_per_s").asLong())
                    : benchmark.path("sent").asLong() > 0 ? String.format("%,d msg/s", benchmark.path("server_rate_per_s").asLong())
                    : String.format("%,d connects/s", simulation.path("connect_rate_per_s").asLong());
            JsonNode share = section.path("share_of_ceiling");
            html.append("<tr><td><a href=\"#").append(escape(name)).append("\">").append(escape(name)).append("</a></td><td>")
                    .append(simulation.path("passed").asBoolean() ? "passed" : "FAILED").append("</td><td class=\"n\">")
                    .append(String.format("%,d of %,d", simulation.path("users_connected").asLong(), simulation.path("users_targeted").asLong()))
                    .append("</td><td class=\"n\">").append(rate).append("</td><td class=\"n\">")
                    .append(share.isNumber() ? String.format("%.0f%%", share.asDouble() * 100) : "-").append("</td><td class=\"n\">")
                    .append(simulation.path("lost").asLong()).append("</td></tr>");
        }
        html.append("</table>\n");
    }

    private static void simulation(StringBuilder html, Path outDir, JsonNode simulation) {
        String name = simulation.path("simulation").asText();
        boolean passed = simulation.path("passed").asBoolean();
        html.append("<h2 id=\"").append(escape(name)).append("\">").append(escape(name)).append(passed ? " — passed" : " — FAILED").append("</h2>\n");
        String report = simulation.path("report").asText("");
        if (!report.isEmpty()) {
            Path target = Path.of(report);
            // Relative, so that the page and its reports can move together (an artifact, another machine).
            String href = target.isAbsolute() && outDir.isAbsolute() ? outDir.relativize(target).toString() : target.toUri().toString();
            html.append("<p><a class=\"report\" href=\"").append(escape(href)).append("\">Gatling report of ").append(escape(name)).append("</a></p>\n");
        }
        Map<String, String> rows = new LinkedHashMap<>();
        boolean serverRead = simulation.path("server_counters_read").asBoolean(true);
        rows.put("users connected", String.format("%,d of %,d (%,d failed); peak %s concurrent", simulation.path("users_connected").asLong(),
                simulation.path("users_targeted").asLong(), simulation.path("users_failed").asLong(),
                serverRead ? String.format("%,d", simulation.path("peak_connections").asLong()) : "not counted"));
        rows.put("connect rate", String.format("%,d users/s of %,d offered", simulation.path("connect_rate_per_s").asLong(),
                simulation.path("connect_rate_offered_per_s").asLong()));
        JsonNode benchmark = simulation.path("benchmark");
        if (benchmark.path("sent").asLong() > 0) {
            rows.put("benchmark messages", String.format("%,d sent, %s, %,d acks received, %,d lost",
                    benchmark.path("sent").asLong(), SimulationOutcome.countedByServers(count(benchmark.path("counted_by_servers"))), benchmark.path("acks_received").asLong(),
                    benchmark.path("lost").asLong()));
            rows.put("server rate", benchmark.path("counted_by_servers").isNumber()
                    ? String.format("%,d msg/s%s", benchmark.path("server_rate_per_s").asLong(), share(benchmark)) : "not counted");
            if (benchmark.has("target_rate_per_s")) {
                rows.put("paced rate", String.format("%,d msg/s asked, %.0f%% reached", benchmark.path("target_rate_per_s").asLong(),
                        benchmark.path("share_of_target").asDouble() * 100));
            }
        }
        JsonNode chat = simulation.path("chat");
        if (chat.path("sent").asLong() > 0) {
            rows.put("chat messages", String.format("%,d sent, %s", chat.path("sent").asLong(), SimulationOutcome.countedByServers(count(chat.path("counted_by_servers")))));
            rows.put("deliveries", String.format("%,d expected, %,d received at the users, %,d lost, %s", chat.path("deliveries_expected").asLong(),
                    chat.path("deliveries_received").asLong(), chat.path("deliveries_lost").asLong(),
                    SimulationOutcome.droppedByServers(count(chat.path("deliveries_dropped_by_servers")))));
            rows.put("delivery rate", String.format("%,d deliveries/s%s", chat.path("deliveries_per_s").asLong(), share(chat)));
            rows.put("delivery p99", chat.path("delivery_latency_p99_ms_max_over_injectors").asLong() + " ms");
            if (chat.path("fan_out_ms_mean").isNumber()) {
                rows.put("fan-out", SimulationOutcome.fanOutWords(chat.path("fan_out_ms_mean").asLong()));
            }
        }
        rows.put("server protocol errors", SimulationOutcome.figure(count(simulation.path("server_errors"))));
        for (JsonNode why : simulation.path("not_counted")) {
            rows.merge("not counted", why.asText(), (one, two) -> one + "; " + two);
        }
        rows.put("lost end to end", String.valueOf(simulation.path("lost").asLong()));
        rows.put("duplicated", String.valueOf(simulation.path("duplicated").asLong()));
        html.append("<table class=\"accounting\">");
        rows.forEach((label, value) -> html.append("<tr><th>").append(escape(label)).append("</th><td>").append(escape(value)).append("</td></tr>"));
        html.append("</table>\n");
        table(html, "latency", List.of("request", "ok", "ko", "p50 ms", "p95 ms", "p99 ms", "max ms"), simulation.path("requests"),
                List.of("ok", "ko", "p50_ms", "p95_ms", "p99_ms", "max_ms"));
        table(html, "processes", List.of("process", "peak RSS MB", "peak CPU %"), simulation.path("processes"), List.of("peak_rss_mb", "peak_cpu_percent"));
    }

    /** A servers' count from the summary; null where it reads "not counted". */
    private static Long count(JsonNode figure) {
        return figure.isNumber() ? figure.asLong() : null;
    }

    private static String share(JsonNode section) {
        JsonNode share = section.path("share_of_ceiling");
        return share.isNumber() ? String.format(" — %.0f%% of this machine's ceiling", share.asDouble() * 100) : "";
    }

    /** A table with one row per field of {@code rows}, its name first. */
    private static void table(StringBuilder html, String css, List<String> header, JsonNode rows, List<String> fields) {
        if (!rows.isObject() || rows.isEmpty()) return;
        html.append("<table class=\"").append(css).append("\"><tr>");
        header.forEach(title -> html.append("<th>").append(escape(title)).append("</th>"));
        html.append("</tr>");
        Iterator<Map.Entry<String, JsonNode>> entries = rows.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td>");
            fields.forEach(field -> html.append("<td class=\"n\">").append(escape(entry.getValue().path(field).asText("-"))).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>\n");
    }

    /** The seed's three tests, each figure beside the blog's and this run's ceiling ({@code --profile seed}). */
    private static void seed(StringBuilder html, JsonNode seed) {
        if (!seed.isObject()) return;
        html.append("<h2 id=\"seed\">The seed's scenario</h2>\n<p>Each figure beside ").append(escape(seed.path("source").asText()))
                .append(" and beside this machine's ceiling, measured in this run.</p>\n<table class=\"seed\"><tr><th>test</th><th>here</th>")
                .append("<th>the blog</th><th>here / the blog</th><th>ceiling</th><th>verdict</th></tr>");
        for (JsonNode test : seed.path("tests")) {
            String unit = test.path("unit").asText();
            String here = test.has("measured_per_s") ? String.format("%,d %s", test.path("measured_per_s").asLong(), unit)
                    : "not measured: " + test.path("not_measured").asText();
            String ceiling = test.has("ceiling_per_s") ? String.format("%,d/s", test.path("ceiling_per_s").asLong())
                    + (test.has("share_of_ceiling") ? String.format(" (%.0f%%)", 100 * test.path("share_of_ceiling").asDouble()) : "") : "not measured";
            List<String> why = new ArrayList<>();
            test.path("reasons").forEach(reason -> why.add(reason.asText()));
            String verdict = test.path("passed").asBoolean() ? "passed" : "FAILED" + (why.isEmpty() ? "" : ": " + String.join("; ", why));
            html.append("<tr><td>").append(escape(test.path("test").asText())).append("</td><td class=\"n\">").append(escape(here))
                    .append("</td><td class=\"n\">").append(String.format("%,.1f %s", test.path("seed_per_s").asDouble(), unit))
                    .append("</td><td class=\"n\">").append(test.has("share_of_seed") ? String.format("%.2fx", test.path("share_of_seed").asDouble()) : "-")
                    .append("</td><td class=\"n\">").append(escape(ceiling)).append("</td><td>").append(escape(verdict)).append("</td></tr>");
        }
        html.append("</table>\n");
    }

    private static void ceiling(StringBuilder html, JsonNode ceiling, JsonNode target) {
        html.append("<h2 id=\"ceiling\">This machine's ceiling</h2>\n");
        if (target.isTextual()) {
            html.append("<p>Not measured against a server of its own: the probe speaks its profile on its own, <code>ci/probe.sh --target ")
                    .append(escape(target.asText())).append(" --profile NAME</code>.</p>\n");
            return;
        }
        if (!ceiling.isObject()) {
            html.append("<p>Not measured in this run: <code>ci/run-suite.sh</code> measures it first unless told <code>--no-ceiling</code>.</p>\n");
            return;
        }
        html.append("<p>The capacity probe against one fresh server process: a pipelined client, the rate counted at the server.</p>\n");
        table(html, "ceiling", List.of("phase", "per second", "server CPU µs per unit", "unit", "p99 ms"), ceiling,
                List.of("per_s", "server_cpu_us_per_unit", "unit", "p99_ms"));
    }

    private static void trend(StringBuilder html, List<JsonNode> history) {
        if (history.isEmpty()) {
            html.append("<h2 id=\"trend\">Trend</h2>\n<p>No history kept for this run: <code>ci/run-suite.sh</code> appends each run to "
                    + "<code>--history</code> (default <code>runs/history.jsonl</code>) and draws the trend here.</p>\n");
            return;
        }
        html.append("<h2 id=\"trend\">Trend over ").append(history.size()).append(" run(s)</h2>\n")
                .append("<div style=\"height:22em\"><canvas id=\"trend-chart\"></canvas></div>\n");
    }

    /** The baseline gate's table, when the run was judged against a checked-in profile. */
    private static void gate(StringBuilder html, JsonNode gate) {
        if (!gate.isObject()) {
            return;
        }
        html.append("<h2 id=\"gate\">Gate against ").append(escape(gate.path("baseline").asText())).append(": ")
                .append(gate.path("passed").asBoolean() ? "passed" : "REGRESSION").append("</h2>\n");
        // The columns are the rows' own fields, in the order the gate wrote them.
        html.append("<table class=\"gate\"><tr>");
        gate.path("rows").path(0).fieldNames().forEachRemaining(column -> html.append("<th>").append(escape(column)).append("</th>"));
        html.append("</tr>");
        for (JsonNode row : gate.path("rows")) {
            html.append("<tr>");
            row.elements().forEachRemaining(cell -> html.append("<td>").append(escape(cell.asText())).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>\n");
    }

    private static void preflight(StringBuilder html, JsonNode checks) {
        if (checks.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"preflight\">Preflight</h2>\n<table class=\"preflight\"><tr><th>limit</th><th>value</th><th>needed</th><th>ok</th><th>how to lift it</th></tr>");
        for (JsonNode check : checks) {
            html.append("<tr><td>").append(escape(check.path("limit").asText())).append("</td><td>").append(escape(check.path("value").asText()))
                    .append("</td><td>").append(escape(check.path("needed").asText())).append("</td><td>").append(check.path("ok").asBoolean() ? "ok" : "NO")
                    .append("</td><td>").append(check.path("ok").asBoolean() ? "" : escape(check.path("fix").asText())).append("</td></tr>");
        }
        html.append("</table>\n");
    }

    /** Data for Chart.js: one dataset per trend figure present in the history; the canvas records how many points it drew. */
    private static String trendScript(List<JsonNode> history, Map<String, Double> baseline) throws IOException {
        ArrayNode labels = JSON.createArrayNode();
        history.forEach(line -> labels.add(line.path("time").asText().replaceFirst("T", " ").replaceFirst("\\..*", "") + " "
                + line.path("commit").asText().substring(0, Math.min(7, line.path("commit").asText().length()))));
        ArrayNode datasets = JSON.createArrayNode();
        for (String trend : TRENDS) {
            String[] parts = trend.split("\\.", 2);
            ArrayNode data = JSON.createArrayNode();
            boolean any = false;
            for (JsonNode line : history) {
                JsonNode value = line.path("figures").path(parts[0]).path(parts[1]);
                if (value.isNumber()) {
                    data.add(value.asDouble());
                    any = true;
                } else {
                    data.addNull();
                }
            }
            if (any) {
                ObjectNode dataset = datasets.addObject();
                dataset.put("label", trend);
                dataset.set("data", data);
                dataset.put("spanGaps", true);
                dataset.put("yAxisID", axis(trend));
                Double base = baseline.get(trend);
                if (base != null) {
                    ObjectNode line = datasets.addObject();
                    line.put("label", "baseline " + trend);
                    ArrayNode flat = line.putArray("data");
                    history.forEach(run -> flat.add(base));
                    line.putArray("borderDash").add(6).add(4);
                    line.put("yAxisID", axis(trend));
                    line.put("pointRadius", 0);
                }
            }
        }
        return """
                const canvas = document.getElementById('trend-chart');
                const data = {labels: %s, datasets: %s};
                new Chart(canvas, {type: 'line', data: data, options: {animation: false, maintainAspectRatio: false,
                  scales: {y: {beginAtZero: true, title: {display: true, text: 'per second'}},
                           share: {position: 'right', beginAtZero: true, suggestedMax: 1.1, grid: {drawOnChartArea: false},
                                   title: {display: true, text: 'share'}}}}});
                canvas.dataset.points = data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null).length, 0);
                """.formatted(JSON.writeValueAsString(labels), JSON.writeValueAsString(datasets));
    }

    private static String axis(String trend) {
        return trend.contains("share") ? "share" : "y";
    }

    private static String chartJs() throws IOException {
        try (InputStream in = RunPage.class.getResourceAsStream(CHART_JS)) {
            if (in == null) throw new IOException("Chart.js is not on the classpath at " + CHART_JS + " (see the report module's pom)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
