package io.wshunt.runner.gate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wshunt.runner.probe.CapacityProbe;

/** The A/B gate's result as a text table, a Markdown table for the job summary, and JSON: three writers of one result. */
final class AbReport {
    private final AbPlan plan;
    private final AbRounds.Result result;

    AbReport(AbPlan plan, AbRounds.Result result) {
        this.plan = plan;
        this.result = result;
    }

    /** Every candidate passed and nothing was lost; an inconclusive candidate passes as the plan says. */
    boolean passed() {
        return result.problems().isEmpty() && result.candidates().stream().allMatch(this::passed);
    }

    private boolean passed(AbRounds.Side candidate) {
        return switch (candidate.verdict.outcome()) {
            case PASSED -> true;
            case INCONCLUSIVE -> switch (plan.inconclusive()) {
                case PASS -> true;
                case FAIL -> false;
                case MEAN -> plan.metrics().stream().allMatch(metric -> {
                    AbStatistics statistics = candidate.verdict.statistics().get(metric.name());
                    return statistics == null || (metric.higherIsBetter() ? statistics.mean() >= metric.limit() : statistics.mean() <= metric.limit());
                });
            };
            default -> false;
        };
    }

    private String header() {
        return servers() + String.format("A/B: %s against the base; %d fork(s) of fresh server JVMs, %d round(s), each candidate beside a base server of its own (loaded in turns: %s; the other phases at the same moment), in %ds; "
                        + "probe %d connections, %s, paths %s%s. A regression: fewer units per server CPU-second, more bytes allocated per unit "
                        + "or more memory per idle connection than the limit beside each metric, with 95%% confidence. Inconclusive (the interval across the limit when the budget ran out): %s.%n",
                String.join(", ", result.candidates().stream().map(side -> side.name).toList()), result.forks(), result.rounds(),
                plan.inTurns().isEmpty() ? "none" : String.join(",", plan.inTurns()), result.took().toSeconds(),
                plan.connections(), load(), String.join(",", plan.paths()), plan.serverCpus().isBlank() ? "" : ", servers on CPU " + plan.serverCpus(),
                switch (plan.inconclusive()) {
                    case MEAN -> "fails when the mean is past the limit";
                    case FAIL -> "fails";
                    case PASS -> "passes";
                });
    }

    /** How the round trips and the chat messages are offered: for example "round trips paced at 6,000/s, chat messages 16 in flight". */
    private String load() {
        CapacityProbe.Pace pace = plan.pace();
        return offered("round trips", pace.acksPerSecond()) + ", " + offered("chat messages", pace.chatsPerSecond());
    }

    private static String offered(String what, int perSecond) {
        return perSecond > 0 ? String.format("%s paced at %,d/s", what, perSecond) : String.format("%s %d in flight", what, AbRounds.DEPTH);
    }

    /** What the servers are when they are not wshunt's: the commands, the protocol and where their CPU comes from. */
    private String servers() {
        AbPlan.Commands commands = plan.commands();
        return commands == null ? "" : String.format("Servers of another stack, spoken to in the %s protocol, their CPU per unit the listening process's "
                + "(/proc): base `%s`, candidate `%s`.%n", commands.protocol().name(), commands.base(), commands.candidate());
    }

    /** One row per candidate and metric: candidate, metric, base median, candidate median, ratio, interval, limit, verdict. */
    List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (AbRounds.Side candidate : result.candidates()) {
            for (AbMetric metric : plan.metrics()) {
                AbStatistics statistics = candidate.verdict.statistics().get(metric.name());
                AbStatistics.Verdict verdict = candidate.verdict.verdicts().get(metric.name());
                rows.add(List.of(candidate.name, metric.name(), median(candidate, metric.name(), true),
                        median(candidate, metric.name(), false),
                        statistics == null ? "-" : String.format("%.3f", statistics.mean()),
                        statistics == null ? "-" : String.format("[%.3f, %.3f]", statistics.low(), statistics.high()),
                        String.format("%s %.2f", metric.higherIsBetter() ? ">=" : "<=", metric.limit()),
                        verdict == null ? "not measured" : verdict == AbStatistics.Verdict.PASSED ? "ok" : verdict.name().toLowerCase()));
            }
        }
        return rows;
    }

    /** For example {@code fails (regression: ack.per_server_cpu_s)} or {@code passes (inconclusive: ...)}. */
    private String outcome(AbRounds.Side candidate) {
        return (passed(candidate) ? "passes" : "fails") + " (" + candidate.verdict.outcome().name().toLowerCase().replace('_', ' ')
                + (candidate.verdict.reasons().isEmpty() ? "" : ": " + candidate.verdict.reason()) + ")";
    }

    String text() {
        StringBuilder out = new StringBuilder(header());
        String format = "%-16s %-32s %14s %14s %8s %18s %9s  %s%n";
        out.append(String.format(format, "candidate", "metric", "base median", "cand. median", "ratio", "95% CI", "limit", "verdict"));
        rows().forEach(row -> out.append(String.format(format, row.toArray())));
        for (AbRounds.Side candidate : result.candidates()) {
            out.append(String.format("verdict %s: %s%n", candidate.name, outcome(candidate)));
        }
        result.problems().forEach(problem -> out.append("problem: ").append(problem).append('\n'));
        out.append(passed() ? "A/B gate: passed\n" : "A/B gate: FAILED\n");
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder("### wshunt A/B gate: " + (passed() ? "passed" : "FAILED") + "\n\n" + header() + "\n");
        out.append("| candidate | metric | base median | candidate median | ratio | 95% CI | limit | verdict |\n|---|---|---:|---:|---:|---|---|---|\n");
        rows().forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
        out.append('\n');
        for (AbRounds.Side candidate : result.candidates()) {
            out.append("- **").append(candidate.name).append("**: ").append(outcome(candidate)).append('\n');
        }
        result.problems().forEach(problem -> out.append("- problem: ").append(problem).append('\n'));
        return out.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("passed", passed());
        out.put("paths", plan.paths());
        out.put("pace", Map.of("acks_per_s", plan.pace().acksPerSecond(), "chats_per_s", plan.pace().chatsPerSecond()));
        if (plan.commands() != null) {
            out.put("servers", Map.of("base_command", plan.commands().base(), "candidate_command", plan.commands().candidate(),
                    "profile", plan.commands().protocol().name()));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        plan.metrics().forEach(metric -> metrics.put(metric.name(), Map.of("higher_is_better", metric.higherIsBetter(), "limit", metric.limit())));
        out.put("metrics", metrics);
        out.put("inconclusive", plan.inconclusive().name().toLowerCase());
        out.put("forks", result.forks());
        out.put("rounds", result.rounds());
        out.put("seconds", result.took().toSeconds());
        out.put("calibration", result.calibration());
        List<Map<String, Object>> judged = new ArrayList<>();
        for (AbRounds.Side candidate : result.candidates()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", candidate.name);
            entry.put("server_args", candidate.serverArgs);
            entry.put("outcome", candidate.verdict.outcome().name().toLowerCase());
            entry.put("passed", passed(candidate));
            entry.put("reasons", candidate.verdict.reasons());
            entry.put("verdicts", candidate.verdict.verdicts());
            entry.put("statistics", candidate.verdict.statistics());
            entry.put("rounds", candidate.rounds);
            entry.put("base_rounds", candidate.baseRounds);
            entry.put("fork_of_round", candidate.forkOfRound);
            judged.add(entry);
        }
        out.put("candidates", judged);
        out.put("problems", result.problems());
        return out;
    }

    /** The median of a metric over the rounds the candidate has it: its own figures, or the base's measured beside them. */
    private static String median(AbRounds.Side candidate, String metric, boolean ofBase) {
        List<Double> values = new ArrayList<>();
        candidate.rounds.forEach((round, figures) -> {
            if (figures.containsKey(metric)) {
                values.add((ofBase ? candidate.baseRounds.getOrDefault(round, Map.of()) : figures).getOrDefault(metric, Double.NaN));
            }
        });
        if (values.isEmpty()) return "-";
        Collections.sort(values);
        return String.format("%,.0f", values.get(values.size() / 2));
    }
}
