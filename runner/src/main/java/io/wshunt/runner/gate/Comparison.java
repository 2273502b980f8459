package io.wshunt.runner.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A run's figures set against a baseline, metric by metric, with a verdict for each. */
public final class Comparison {
    /**
     * One row of the table. {@code now} is NaN when the run lacks the figure; a negative figure
     * (such as a p99 of -1, "nothing timed") was not measured either, and fails as such.
     */
    public record Row(Metric metric, double now) {
        public boolean passes() {
            return measured() && metric.passes(now);
        }

        boolean measured() {
            return !Double.isNaN(now) && now >= 0;
        }

        String change() {
            if (Double.isNaN(now)) return "missing";
            if (now < 0) return "not measured";
            if (metric.baseline() == 0) return now == 0 ? "0" : "+" + format(now);
            return String.format("%+.1f%%", 100 * (now - metric.baseline()) / metric.baseline());
        }

        /** The row as text, one cell per column of {@link #COLUMNS}. */
        List<String> cells() {
            return List.of(metric.id(), format(metric.baseline()), Double.isNaN(now) ? "-" : format(now), change(), limit(),
                    passes() ? "ok" : measured() ? "REGRESSION" : "NOT MEASURED");
        }

        String limit() {
            return switch (metric.kind()) {
                case Metric.HIGHER -> ">= " + format(metric.limit()) + " (-" + Math.round(metric.tolerance() * 100) + "%)";
                case Metric.LOWER -> "<= " + format(metric.limit()) + " (+" + Math.round(metric.tolerance() * 100) + "%)";
                default -> "<= " + format(metric.limit());
            };
        }
    }

    static final List<String> COLUMNS = List.of("metric", "baseline", "now", "change", "limit", "verdict");

    private final List<Row> rows;

    private Comparison(List<Row> rows) {
        this.rows = rows;
    }

    public static Comparison of(List<Metric> baseline, Map<String, Map<String, Double>> figures) {
        List<Row> rows = new ArrayList<>();
        for (Metric metric : baseline) {
            Double now = figures.getOrDefault(metric.simulation(), Map.of()).get(metric.name());
            rows.add(new Row(metric, now == null ? Double.NaN : now));
        }
        return new Comparison(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean passes() {
        return rows.stream().allMatch(Row::passes);
    }

    public List<String> regressions() {
        return rows.stream().filter(row -> !row.passes()).map(row -> row.metric().id()).toList();
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        String format = "%-44s %14s %14s %10s %26s  %s%n";
        out.append(String.format(format, COLUMNS.toArray()));
        for (Row row : rows) {
            out.append(String.format(format, row.cells().toArray()));
        }
        out.append(passes() ? "Gate: passed\n" : "Gate: FAILED on " + regressions() + "\n");
        return out.toString();
    }

    /** The table as data, for summary.json and the run page. */
    public Map<String, Object> toMap(String baseline) {
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            List<String> cells = row.cells();
            for (int i = 0; i < COLUMNS.size(); i++) {
                entry.put(COLUMNS.get(i), cells.get(i));
            }
            table.add(entry);
        }
        return Map.of("baseline", baseline, "passed", passes(), "rows", table);
    }

    /** The same table in Markdown, for $GITHUB_STEP_SUMMARY and pull-request comments. */
    public String markdown(String title) {
        StringBuilder out = new StringBuilder("### " + title + (passes() ? " ✅ passed" : " ❌ regression") + "\n\n");
        out.append("| metric | baseline | now | change | limit | verdict |\n|---|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            List<String> cells = row.cells();
            out.append(String.format("| `%s` | %s | %s | %s | %s | %s |%n", cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4),
                    row.passes() ? "ok" : "**REGRESSION**"));
        }
        return out.toString();
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format("%,d", (long) value) : String.format("%,.2f", value);
    }
}
