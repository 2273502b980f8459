package io.wshunt.runner.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wshunt.runner.ChildProcesses;
import io.wshunt.runner.Http;
import io.wshunt.runner.ServerFleet;
import io.wshunt.runner.ServerLaunch;
import io.wshunt.runner.SuiteRunner;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.probe.Numbers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.wshunt.preflight.HostLimits;

/**
 * A/B gate: the base build's server and the candidate's run at the same time, pinned to the same
 * CPUs, and the capacity probe measures them in turn, round after round (the order rotates). Each
 * round gives a candidate/base ratio of what the server handles per second of its own CPU: a figure
 * the server controls, not the load generator. Rounds are added until the 95% interval of the ratio
 * clears the tolerance or crosses it, or rounds or time run out. With {@code --variant}, several
 * candidates (the candidate build with deliberate extra work) are judged against one base at once:
 * that is how {@code ci/prove-gate.sh} measures the gate's sensitivity.
 */
@Command(name = "ab", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Judges a candidate server build against a base build, side by side, with the capacity probe.")
public final class AbGate implements Callable<Integer> {
    /** What a candidate comes to. */
    enum Outcome { PASSED, REGRESSION, NOT_MEASURED, UNDECIDED }

    @Option(names = "--base-classpath", required = true, description = "the base build's server (wshunt-server.jar)")
    String baseClasspath;
    @Option(names = "--candidate-classpath", required = true, description = "the candidate build's server")
    String candidateClasspath;
    @Option(names = "--candidate-server-args", defaultValue = "", description = "extra flags of the candidate's server")
    String candidateServerArgs;
    @Option(names = "--candidate-jvm-args", defaultValue = ServerLaunch.DEFAULT_JVM_ARGS,
            description = "JVM flags of the candidate's server, to judge a JVM setting against the default (default ${DEFAULT-VALUE})")
    String candidateJvmArgs;
    @Option(names = "--variant", paramLabel = "NAME=PERCENT",
            description = "judge the candidate with PERCENT%% more CPU per message (calibrated on the base); repeatable")
    Map<String, Double> variants = new LinkedHashMap<>();
    @Option(names = "--server-cpus", defaultValue = "", description = "taskset CPU list for every server (default: any)")
    String serverCpus;
    @Option(names = "--phases", defaultValue = "ack", split = ",", description = "probe phases judged; the first also calibrates --variant (default ${DEFAULT-VALUE})")
    List<String> phases;
    @Option(names = "--tolerance", defaultValue = "0.10", description = "largest loss per CPU-second that passes (default ${DEFAULT-VALUE})")
    double tolerance;
    @Option(names = "--min-rounds", defaultValue = "4", converter = Numbers.class, description = "rounds before any verdict (default ${DEFAULT-VALUE})")
    int minRounds;
    @Option(names = "--max-rounds", defaultValue = "12", converter = Numbers.class, description = "rounds at most (default ${DEFAULT-VALUE})")
    int maxRounds;
    @Option(names = "--budget-seconds", defaultValue = "480", converter = Numbers.class, description = "time for the rounds at most (default ${DEFAULT-VALUE})")
    int budgetSeconds;
    @Option(names = "--warmup-seconds", defaultValue = "20", converter = Numbers.class, description = "probe load on each server before the first round (JIT) (default ${DEFAULT-VALUE})")
    int warmupSeconds;
    @Option(names = "--connections", defaultValue = "200", converter = Numbers.class, description = "probe connections per server (default ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--window-ms", defaultValue = "1000", converter = Numbers.class, description = "one measured window (default ${DEFAULT-VALUE})")
    int windowMillis;
    @Option(names = "--windows", defaultValue = "3", converter = Numbers.class, description = "windows per phase and round; the median counts (default ${DEFAULT-VALUE})")
    int windows;
    @Option(names = "--gatling-users", defaultValue = "0", description = "also run Gatling's MessageThroughput once per side with this many users, for information (0: off)")
    int gatlingUsers;
    @Option(names = "--classpath", description = "the injectors' classpath (for --gatling-users)")
    String injectorClasspath;
    @Option(names = "-D", description = "simulation properties for the Gatling runs")
    Map<String, String> properties = new LinkedHashMap<>();
    @Option(names = "--out", defaultValue = "runs/ab", description = "where logs and ab.txt go (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--markdown", description = "write the table in Markdown here (for the job summary)")
    Path markdown;

    /** One server under test with its probe, and what each round measured on it. */
    private static final class Side {
        final String name;
        final String serverArgs;
        final CapacityProbe probe;
        final Map<Integer, Map<String, Double>> rounds = new TreeMap<>();
        Judgement judgement = Judgement.UNDECIDED;

        Side(String name, String serverArgs, CapacityProbe probe) {
            this.name = name;
            this.serverArgs = serverArgs;
            this.probe = probe;
        }

        boolean undecided() {
            return judgement.outcome() == Outcome.UNDECIDED;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AbGate()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            CapacityProbe.requireKnown(phases);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        Path dir = out.toAbsolutePath();
        Files.createDirectories(dir);
        List<String> problems = new ArrayList<>();
        List<Side> candidates = new ArrayList<>();
        Side base;
        int rounds = 0;
        List<Side> opened = new ArrayList<>();
        try (ChildProcesses children = new ChildProcesses()) {
            base = start(children, "base", baseClasspath, ServerLaunch.DEFAULT_JVM_ARGS, "", dir, opened);
            warm(base);
            if (variants.isEmpty()) {
                candidates.add(start(children, "candidate", candidateClasspath, candidateJvmArgs, candidateServerArgs, dir, opened));
            } else {
                double baseMicros = calibrate(base);
                System.out.printf("base: server CPU per %s unit %.2f us; variants add a share of that%n", phases.get(0), baseMicros);
                for (Map.Entry<String, Double> variant : variants.entrySet()) {
                    long nanos = Math.round(variant.getValue() / 100 * baseMicros * 1_000);
                    String args = (candidateServerArgs + (nanos > 0 ? " --extra-work-nanos " + nanos : "")).trim();
                    candidates.add(start(children, variant.getKey(), candidateClasspath, candidateJvmArgs, args, dir, opened));
                }
            }
            for (Side candidate : candidates) {
                warm(candidate);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(budgetSeconds).toNanos();
            while (candidates.stream().anyMatch(Side::undecided)) {
                rounds++;
                List<Side> order = new ArrayList<>(List.of(base));
                candidates.stream().filter(Side::undecided).forEach(order::add);
                Collections.rotate(order, rounds); // no side is always first
                for (Side side : order) {
                    measure(side, rounds, problems);
                }
                boolean last = rounds >= maxRounds || System.nanoTime() > deadline;
                int round = rounds;
                System.out.printf("round %d: %s%n", round, String.join("  ", order.stream().map(side -> side.name + " " + side.rounds.get(round)).toList()));
                if (rounds >= minRounds || last) {
                    candidates.stream().filter(Side::undecided)
                            .forEach(candidate -> candidate.judgement = judge(base.rounds, candidate.rounds, metrics(), tolerance, last));
                }
            }
        } finally {
            opened.forEach(side -> side.probe.close());
        }
        Map<String, Map<String, Double>> gatling = gatlingFigures(dir, candidates);
        String table = table(base, candidates, rounds, problems, gatling);
        System.out.print("\n" + table);
        Files.writeString(dir.resolve("ab.txt"), table);
        if (markdown != null) {
            Files.writeString(markdown, markdown(base, candidates, rounds, problems, gatling));
        }
        Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("ab.json").toFile(), json(base, candidates, problems));
        return passed(candidates, problems) ? 0 : 1;
    }

    private Side start(ChildProcesses children, String name, String classpath, String jvmArgs, String serverArgs, Path dir, List<Side> opened) throws Exception {
        ServerLaunch launch = new ServerLaunch(classpath, jvmArgs, serverArgs, serverCpus);
        ServerFleet server = ServerFleet.start(children, launch, 1, null, dir.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_")));
        CapacityProbe probe = CapacityProbe.of(server, new CapacityProbe.Settings(connections, 16, Duration.ofMillis(500), Duration.ofMillis(windowMillis), windows, Duration.ofSeconds(10)));
        Side side = new Side(name, serverArgs, probe);
        opened.add(side);
        probe.connect();
        System.out.printf("started %s%s%s%n", name, serverArgs.isEmpty() ? "" : " (" + serverArgs + ")",
                jvmArgs.equals(ServerLaunch.DEFAULT_JVM_ARGS) ? "" : " (JVM: " + jvmArgs + ")");
        return side;
    }

    /** Probe load until the JIT has settled, measured and thrown away. */
    private void warm(Side side) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
        while (System.nanoTime() < until) {
            side.probe.run(phases);
        }
    }

    /** The base's server CPU per unit of the first judged phase, the median of three measurements: what variants add a share of. */
    private double calibrate(Side base) throws Exception {
        List<Double> micros = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            micros.add(base.probe.run(phases.subList(0, 1)).get(0).cpuMicrosPerUnit());
        }
        Collections.sort(micros);
        return micros.get(1);
    }

    private void measure(Side side, int round, List<String> problems) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (CapacityProbe.Phase phase : side.probe.run(phases)) {
            figures.put(phase.name() + ".per_server_cpu_s", phase.measured() ? phase.perCpuSecond() : Double.NaN);
            if (!phase.clean()) {
                problems.add(String.format("%s round %d %s: %,d lost, %,d duplicated, %,d failed sends", side.name, round, phase.name(),
                        phase.lost(), phase.duplicated(), phase.sendFailures()));
            }
        }
        side.rounds.put(round, figures);
    }

    /** What the rounds so far say of one candidate. */
    record Judgement(Outcome outcome, String reason, Map<String, AbStatistics> statistics) {
        static final Judgement UNDECIDED = new Judgement(Outcome.UNDECIDED, "", Map.of());
    }

    /**
     * Every judged metric over the rounds both sides ran: a metric that could not be measured fails,
     * any regression fails, and the candidate passes when every metric has passed.
     */
    static Judgement judge(Map<Integer, Map<String, Double>> base, Map<Integer, Map<String, Double>> candidate, List<String> metrics,
                           double tolerance, boolean last) {
        Map<String, AbStatistics> statistics = new LinkedHashMap<>();
        boolean allPassed = true;
        for (String metric : metrics) {
            List<Double> baseValues = new ArrayList<>();
            List<Double> candidateValues = new ArrayList<>();
            candidate.forEach((round, figures) -> {
                baseValues.add(base.getOrDefault(round, Map.of()).getOrDefault(metric, Double.NaN));
                candidateValues.add(figures.getOrDefault(metric, Double.NaN));
            });
            String unmeasurable = AbStatistics.unmeasurable(baseValues, candidateValues).orElse(null);
            if (unmeasurable != null) {
                return new Judgement(Outcome.NOT_MEASURED, "could not measure " + metric + ": " + unmeasurable, statistics);
            }
            AbStatistics metricStatistics = AbStatistics.of(baseValues, candidateValues);
            statistics.put(metric, metricStatistics);
            AbStatistics.Verdict verdict = metricStatistics.verdict(tolerance, last);
            if (verdict == AbStatistics.Verdict.REGRESSION) {
                return new Judgement(Outcome.REGRESSION, metric, statistics);
            }
            allPassed &= verdict == AbStatistics.Verdict.PASSED;
        }
        return new Judgement(allPassed ? Outcome.PASSED : Outcome.UNDECIDED, "", statistics);
    }

    private List<String> metrics() {
        return phases.stream().map(phase -> phase + ".per_server_cpu_s").toList();
    }

    /** Gatling's own figures per side, for information only: the verdict rests on the probe. */
    private Map<String, Map<String, Double>> gatlingFigures(Path dir, List<Side> candidates) throws Exception {
        Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
        if (gatlingUsers <= 0 || injectorClasspath == null || candidates.size() != 1) {
            return figures;
        }
        for (String side : List.of("base", "candidate")) {
            Path runDir = dir.resolve("gatling-" + side);
            List<String> args = new ArrayList<>(List.of("--users", String.valueOf(gatlingUsers), "--simulations", "MessageThroughput",
                    "--servers", "1", "--injectors", "1", "--no-ceiling", "--out", runDir.toString(), "--classpath", injectorClasspath,
                    "--server-classpath", side.equals("base") ? baseClasspath : candidateClasspath,
                    "--server-args", side.equals("base") ? "" : candidateServerArgs,
                    "--server-jvm-args", side.equals("base") ? ServerLaunch.DEFAULT_JVM_ARGS : candidateJvmArgs));
            properties.forEach((key, value) -> args.add("-D" + key + "=" + value));
            System.out.printf("%n== Gatling MessageThroughput on the %s, for information%n", side);
            SuiteRunner.run(args.toArray(String[]::new), HostLimits.read());
            Path summary = runDir.resolve("summary.json");
            if (Files.exists(summary)) {
                JsonNode root = Http.JSON.readTree(summary.toFile());
                figures.put(side, Figures.of(root).getOrDefault("MessageThroughput", Map.of()));
            }
        }
        return figures;
    }

    private String header(Side base, List<Side> candidates, int rounds) {
        return String.format("A/B: %s against the base, %d round(s) side by side; probe %d connections x 16 in flight, phases %s%s; "
                        + "a regression is more than %.0f%% fewer units per server CPU-second, with 95%% confidence%n",
                String.join(", ", candidates.stream().map(side -> side.name).toList()), rounds, connections, String.join(",", phases),
                serverCpus.isBlank() ? "" : ", servers on CPU " + serverCpus, tolerance * 100);
    }

    private static boolean passed(List<Side> candidates, List<String> problems) {
        return problems.isEmpty() && candidates.stream().allMatch(side -> side.judgement.outcome() == Outcome.PASSED);
    }

    /** One row per candidate and judged metric: candidate, metric, base median, candidate median, ratio, interval, limit, verdict. */
    private List<List<String>> rows(Side base, List<Side> candidates) {
        List<List<String>> rows = new ArrayList<>();
        for (Side candidate : candidates) {
            for (String metric : metrics()) {
                AbStatistics statistics = candidate.judgement.statistics().get(metric);
                rows.add(List.of(candidate.name, metric, median(base, candidate, metric, true), median(base, candidate, metric, false),
                        statistics == null ? "-" : String.format("%.3f", statistics.mean()),
                        statistics == null ? "-" : String.format("[%.3f, %.3f]", statistics.low(), statistics.high()),
                        String.format(">= %.2f", 1 - tolerance),
                        metric.equals(candidate.judgement.reason()) ? "REGRESSION" : statistics == null ? candidate.judgement.reason() : "ok"));
            }
        }
        return rows;
    }

    private static String gatlingLine(String side, Map<String, Double> figures) {
        return String.format("Gatling MessageThroughput on the %s (information, not judged): %,.0f msg/s, %,.0f msg per server CPU-second", side,
                figures.getOrDefault("server_msgs_per_s", Double.NaN), figures.getOrDefault("server_msgs_per_cpu_s", Double.NaN));
    }

    private String table(Side base, List<Side> candidates, int rounds, List<String> problems, Map<String, Map<String, Double>> gatling) {
        StringBuilder out = new StringBuilder(header(base, candidates, rounds));
        String format = "%-14s %-26s %14s %14s %8s %18s %9s  %s%n";
        out.append(String.format(format, "candidate", "metric", "base median", "cand. median", "ratio", "95% CI", "limit", "verdict"));
        rows(base, candidates).forEach(row -> out.append(String.format(format, row.toArray())));
        gatling.forEach((side, figures) -> out.append(gatlingLine(side, figures)).append('\n'));
        for (Side candidate : candidates) {
            out.append(String.format("verdict %s: %s%s%n", candidate.name, candidate.judgement.outcome().name().toLowerCase().replace('_', ' '),
                    candidate.judgement.reason().isEmpty() ? "" : " (" + candidate.judgement.reason() + ")"));
        }
        problems.forEach(problem -> out.append("problem: ").append(problem).append('\n'));
        out.append(passed(candidates, problems) ? "A/B gate: passed\n" : "A/B gate: FAILED\n");
        return out.toString();
    }

    private String markdown(Side base, List<Side> candidates, int rounds, List<String> problems, Map<String, Map<String, Double>> gatling) {
        StringBuilder out = new StringBuilder("### wshunt A/B gate\n\n" + header(base, candidates, rounds) + "\n");
        out.append("| candidate | metric | base median | candidate median | ratio | 95% CI | limit | verdict |\n|---|---|---:|---:|---:|---|---|---|\n");
        rows(base, candidates).forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
        gatling.forEach((side, figures) -> out.append('\n').append(gatlingLine(side, figures)).append('\n'));
        problems.forEach(problem -> out.append("\n- problem: ").append(problem));
        return out.append('\n').toString();
    }

    private static String median(Side base, Side candidate, String metric, boolean ofBase) {
        List<Double> values = new ArrayList<>();
        candidate.rounds.forEach((round, figures) -> values.add((ofBase ? base.rounds.get(round) : figures).getOrDefault(metric, Double.NaN)));
        if (values.isEmpty()) return "-";
        Collections.sort(values);
        return String.format("%,.0f", values.get(values.size() / 2));
    }

    private Map<String, Object> json(Side base, List<Side> candidates, List<String> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tolerance", tolerance);
        out.put("phases", phases);
        out.put("base", base.rounds);
        List<Map<String, Object>> judged = new ArrayList<>();
        for (Side candidate : candidates) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", candidate.name);
            entry.put("server_args", candidate.serverArgs);
            entry.put("outcome", candidate.judgement.outcome().name().toLowerCase());
            entry.put("reason", candidate.judgement.reason());
            entry.put("rounds", candidate.rounds);
            entry.put("statistics", candidate.judgement.statistics());
            judged.add(entry);
        }
        out.put("candidates", judged);
        out.put("problems", problems);
        return out;
    }
}
