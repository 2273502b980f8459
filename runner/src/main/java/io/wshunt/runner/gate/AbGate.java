package io.wshunt.runner.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshunt.runner.HostLimits;
import io.wshunt.runner.SuiteRunner;

/**
 * A/B gate: the base build's server and the candidate's, run alternately in the same job
 * (A B, B A, A B ...), several short rounds, judged by the paired ratio of each round with a
 * confidence interval. Shared machines swing by tens of percent between runs; side by side they
 * swing together.
 * <pre>
 *   ab --base-classpath base.jar --candidate-classpath cand.jar --classpath INJECTORS [--rounds 3]
 *      [--users 500] [--candidate-server-args "..."] [--out DIR] [--markdown FILE] [-Dproperty=value ...]
 * </pre>
 */
public final class AbGate {
    /** What A/B judges: the server's work per message, and nothing lost on either side. */
    static final Map<String, Double> JUDGED = Map.of("server_msgs_per_cpu_s", 0.10, "server_msgs_per_s", 0.25);

    private AbGate() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--rounds", "3", "--users", "500", "--out", "runs/ab",
                "--candidate-server-args", "", "--base-server-args", ""));
        List<String> properties = new ArrayList<>(List.of("-Dmode=fire", "-DmessagesPerUser=400", "-DconnectRate=250"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-D")) {
                properties.add(args[i]);
            } else if (i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                System.err.println("ab: " + args[i] + " needs a value");
                return 2;
            }
        }
        for (String needed : List.of("--base-classpath", "--candidate-classpath", "--classpath")) {
            if (!options.containsKey(needed)) {
                System.err.println("ab: " + needed + " is needed");
                return 2;
            }
        }
        int rounds = Integer.parseInt(options.get("--rounds"));
        Path out = Path.of(options.get("--out")).toAbsolutePath();
        Map<String, List<Double>> base = new LinkedHashMap<>();
        Map<String, List<Double>> candidate = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        HostLimits limits = HostLimits.read();
        for (int round = 1; round <= rounds; round++) {
            // Alternate which goes first, so that a machine getting slower or faster favours neither.
            List<String> order = round % 2 == 1 ? List.of("A", "B") : List.of("B", "A");
            for (String side : order) {
                boolean isBase = side.equals("A");
                Path dir = out.resolve("round-" + round + "-" + side);
                List<String> runnerArgs = new ArrayList<>(List.of("--users", options.get("--users"),
                        "--simulations", "MessageThroughput", "--servers", "1", "--injectors", "1", "--out", dir.toString(),
                        "--classpath", options.get("--classpath"),
                        "--server-classpath", options.get(isBase ? "--base-classpath" : "--candidate-classpath"),
                        "--server-args", options.get(isBase ? "--base-server-args" : "--candidate-server-args")));
                runnerArgs.addAll(properties);
                System.out.printf("%n== A/B round %d of %d: %s (%s)%n", round, rounds, side, isBase ? "base" : "candidate");
                int exit = SuiteRunner.run(runnerArgs.toArray(String[]::new), limits);
                if (exit != 0) {
                    problems.add("round " + round + " " + side + " exited with " + exit + " (see " + dir + ")");
                }
                Map<String, Double> figures = Figures.of(new ObjectMapper().readTree(dir.resolve("summary.json").toFile()))
                        .getOrDefault("MessageThroughput", Map.of());
                for (String metric : JUDGED.keySet()) {
                    (isBase ? base : candidate).computeIfAbsent(metric, key -> new ArrayList<>()).add(figures.getOrDefault(metric, Double.NaN));
                }
            }
        }
        StringBuilder table = new StringBuilder();
        StringBuilder markdown = new StringBuilder("### wshunt A/B: candidate against base, " + rounds + " rounds side by side\n\n"
                + "| metric | base (per round) | candidate (per round) | candidate/base | 95% CI | limit | verdict |\n|---|---|---|---:|---|---|---|\n");
        List<String> regressions = new ArrayList<>();
        for (Map.Entry<String, Double> judged : JUDGED.entrySet()) {
            String metric = judged.getKey();
            AbStatistics stats = AbStatistics.of(base.get(metric), candidate.get(metric));
            boolean regression = stats.regression(Metric.HIGHER, judged.getValue());
            if (regression) regressions.add("MessageThroughput." + metric);
            String verdict = regression ? "REGRESSION" : "ok";
            table.append(String.format("%-24s base %s  candidate %s  ratio %.3f  95%% CI [%.3f, %.3f]  limit >= %.2f  %s%n", metric,
                    rounded(base.get(metric)), rounded(candidate.get(metric)), stats.mean(), stats.low(), stats.high(), 1 - judged.getValue(), verdict));
            markdown.append(String.format("| `%s` | %s | %s | %.3f | [%.3f, %.3f] | >= %.2f | %s |%n", metric, rounded(base.get(metric)),
                    rounded(candidate.get(metric)), stats.mean(), stats.low(), stats.high(), 1 - judged.getValue(), regression ? "**REGRESSION**" : "ok"));
        }
        double basePerCpu = base.get("server_msgs_per_cpu_s").stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (basePerCpu > 0) {
            table.append(String.format("base server CPU per message: %.1f us%n", 1e6 / basePerCpu));
        }
        problems.forEach(problem -> table.append("problem: ").append(problem).append('\n'));
        boolean passed = regressions.isEmpty() && problems.isEmpty();
        table.append(passed ? "A/B gate: passed\n" : "A/B gate: FAILED on " + regressions + " " + problems + "\n");
        System.out.print("\n" + table);
        Files.createDirectories(out);
        Files.writeString(out.resolve("ab.txt"), table.toString());
        if (options.containsKey("--markdown")) {
            Files.writeString(Path.of(options.get("--markdown")), markdown.toString());
        }
        return passed ? 0 : 1;
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
