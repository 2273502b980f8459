package io.wshunt.runner.gate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.CommandServer;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.probe.IdleMemory;

/**
 * Runs an A/B plan: in each fork, a fresh server JVM per side (the base and every candidate still
 * undecided), all pinned to the same CPUs; each is warmed, then, round after round and phase by
 * phase, the probe measures each candidate and its base, and last each side's memory per idle
 * connection. After each fork every undecided candidate is judged on all rounds so far; forks end
 * when every candidate is decided or the forks or the time run out.
 * <p>
 * A pair is loaded at the same moment or in turns, phase by phase ({@link AbPlan#inTurns()}). At
 * the same moment, both see the same second of a shared machine, and their ratio keeps little of
 * its drift; but they also split one CPU, and how they split it sways what a unit costs each (a
 * server starved for a moment finds more work per wakeup). In turns, each has the CPUs alone, one
 * right after the other, the first side alternating from round to round.
 */
final class AbRounds {
    private static final String IDLE_METRIC = AbMetric.IDLE + ".bytes_per_connection";
    /** Messages each probe connection keeps in flight in a phase that is not paced. */
    static final int DEPTH = 16;
    /** The share of a paced phase's offered rate a server must reach for its figures to count. */
    private static final double KEPT_PACE = 0.95;
    /** One server build under test, with what each round measured on it. */
    static final class Side {
        final String name;
        final String classpath;
        final String jvmArgs;
        final String serverArgs;
        /** The command that starts a server of another stack; null: wshunt's server from {@link #classpath}. */
        final String command;
        /** Round number (over all forks) to metric name to value; idle memory sits in its fork's first and last rounds. */
        final Map<Integer, Map<String, Double>> rounds = new TreeMap<>();
        /** A candidate's: the base's figures measured at the same moments as this side's, keyed alike. */
        final Map<Integer, Map<String, Double>> baseRounds = new TreeMap<>();
        /**
         * A candidate's own base server, started, warmed and loaded with it. Not one base shared by
         * every candidate: a server loaded more often than its partner keeps more of its threads and
         * wins more of the shared CPU, and its cost per unit falls: beside seven candidates, a shared
         * base reads up to a quarter cheaper per connect than each of them, the identical build too.
         */
        final Side twin;
        final Map<Integer, Integer> forkOfRound = new TreeMap<>();
        AbVerdict verdict = AbVerdict.UNDECIDED;
        private ServerFleet fleet;
        private CommandServer commandServer;
        private CapacityProbe probe;

        Side(String name, String classpath, String jvmArgs, String serverArgs, String command, Side twin) {
            this.name = name;
            this.twin = twin;
            this.classpath = classpath;
            this.jvmArgs = jvmArgs;
            this.serverArgs = serverArgs;
            this.command = command;
        }
    }

    /** What the rounds came to: the candidates with their verdicts and the base figures beside them, what went wrong, and how long it all took. */
    record Result(List<Side> candidates, int rounds, int forks, List<String> problems, Map<String, Double> calibration, Duration took) {
    }

    private final AbPlan plan;
    /** Written by the two measurements of a pair at once. */
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    AbRounds(AbPlan plan) {
        this.plan = plan;
    }

    Result run() throws Exception {
        long started = System.nanoTime();
        long deadline = started + plan.budget().toNanos();
        Side base = base("base");
        List<Side> candidates = new ArrayList<>();
        Map<String, Double> calibration = new LinkedHashMap<>();
        int round = 0;
        int fork = 0;
        try (ChildProcesses children = new ChildProcesses()) {
            if (!plan.variants().isEmpty()) {
                calibration.putAll(calibrate(children, base));
            }
            candidates.addAll(candidatesOf(calibration));
            while (fork < plan.forks()) {
                fork++;
                List<Side> pairs = new ArrayList<>(); // undecided candidates, each with a base server of its own
                try {
                    for (Side candidate : candidates) {
                        if (!candidate.verdict.decided()) {
                            pairs.add(candidate);
                            // One after the other, each taking free ports once the one before listens; the first
                            // alternates by fork, since the JVM started second came out 2-3% ahead between identical builds.
                            Side first = fork % 2 == 1 ? candidate.twin : candidate;
                            start(children, first, fork);
                            start(children, first == candidate ? candidate.twin : candidate, fork);
                            together(() -> warm(candidate.twin), () -> warm(candidate), fork);
                        }
                    }
                    int forkFirstRound = round + 1;
                    // Two rounds at least, so that each fork gives two samples of memory per idle connection.
                    for (int r = 0; r < plan.roundsPerFork() && (r < 2 || System.nanoTime() < deadline); r++) {
                        round++;
                        // Phase by phase, each pair in turn, its two servers loaded together or one after the other.
                        for (int p = 0; p < plan.phases().size(); p++) {
                            List<Side> order = new ArrayList<>(pairs);
                            Collections.rotate(order, round + p); // no pair is always first
                            for (Side candidate : order) {
                                measurePair(candidate, round, fork, plan.phases().get(p));
                            }
                        }
                        int shown = round;
                        System.out.printf("fork %d round %d: %s%n", fork, round, String.join("  ", pairs.stream()
                                .map(side -> side.name + " " + brief(side.rounds.get(shown)) + " (base " + brief(side.baseRounds.get(shown)) + ")").toList()));
                    }
                    if (plan.measuresIdle()) {
                        // Two samples per fork, the first and the second half of the idle connections.
                        for (Side candidate : pairs) {
                            record(candidate.baseRounds, forkFirstRound, round, idleBytes(candidate.twin));
                            record(candidate.rounds, forkFirstRound, round, idleBytes(candidate));
                        }
                    }
                } finally {
                    for (Side candidate : pairs) {
                        stop(children, candidate.twin);
                        stop(children, candidate);
                    }
                }
                boolean last = fork >= plan.forks() || System.nanoTime() > deadline;
                for (Side candidate : candidates) {
                    if (!candidate.verdict.decided()) {
                        AbVerdict verdict = AbVerdict.judge(candidate.baseRounds, candidate.rounds, plan.metrics(), last);
                        // Before the fork minimum only a clear regression is final: one JVM pair's bias must not pass a build.
                        boolean early = fork < plan.minForks() && !last;
                        candidate.verdict = early && verdict.outcome() != AbVerdict.Outcome.REGRESSION ? AbVerdict.UNDECIDED : verdict;
                        System.out.printf("after fork %d, %s: %s%s%n", fork, candidate.name, verdict.outcome().name().toLowerCase().replace('_', ' '),
                                verdict.reasons().isEmpty() ? "" : " (" + verdict.reason() + ")");
                    }
                }
                if (last || candidates.stream().allMatch(side -> side.verdict.decided())) break;
            }
        }
        return new Result(candidates, round, fork, List.copyOf(problems), calibration, Duration.ofNanos(System.nanoTime() - started));
    }

    private Side base(String name) {
        return new Side(name, plan.baseClasspath(), plan.baseJvmArgs(), "", plan.commands() == null ? null : plan.commands().base(), null);
    }

    /** The candidates: the candidate build as it is, or one per variant with its regressions sized on the base's figures. */
    private List<Side> candidatesOf(Map<String, Double> calibration) {
        if (plan.variants().isEmpty()) {
            return List.of(new Side("candidate", plan.candidateClasspath(), plan.candidateJvmArgs(), plan.candidateServerArgs(),
                    plan.commands() == null ? null : plan.commands().candidate(), base("base")));
        }
        List<Side> sides = new ArrayList<>();
        for (AbPlan.Variant variant : plan.variants()) {
            List<String> items = new ArrayList<>();
            for (AbPlan.Injection injection : variant.injections()) {
                double unit = calibration.get(injection.path() + "." + injection.kind());
                items.add(injection.path() + "." + injection.kind() + "=" + Math.round(unit * injection.percent() / 100));
            }
            String args = (plan.candidateServerArgs() + (items.isEmpty() ? "" : " --inject " + String.join(",", items))).trim();
            sides.add(new Side(variant.name(), plan.candidateClasspath(), plan.candidateJvmArgs(), args, null, base("base-of-" + variant.name())));
        }
        return sides;
    }

    /**
     * The base's figures that variants take a share of, each the median of three measurements: CPU
     * nanoseconds of its Java threads and bytes allocated per unit of each phase, and bytes per idle
     * connection. Measured on a server JVM of its own, so that the base in the forks is no warmer
     * than the candidates.
     */
    private Map<String, Double> calibrate(ChildProcesses children, Side base) throws Exception {
        try {
            start(children, base, 0);
            warm(base);
            return calibrate(base);
        } finally {
            stop(children, base);
        }
    }

    private Map<String, Double> calibrate(Side base) throws Exception {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        List<String> phases = plan.calibrationPhases();
        for (int i = 0; i < 3 && !phases.isEmpty(); i++) {
            for (CapacityProbe.Phase phase : base.probe.run(phases, false)) {
                String path = phase.name().equals("broadcast") ? "delivery" : phase.name();
                samples.computeIfAbsent(path + ".cpu", key -> new ArrayList<>()).add(phase.stretch().threadCpuMicrosPerUnit() * 1_000);
                samples.computeIfAbsent(path + ".alloc", key -> new ArrayList<>()).add(phase.stretch().bytesPerUnit());
            }
        }
        if (plan.calibratesIdle()) {
            double[] halves = idleBytes(base);
            samples.put(AbMetric.IDLE + ".bytes", List.of((halves[0] + halves[1]) / 2));
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        samples.forEach((key, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            medians.put(key, sorted.get(sorted.size() / 2));
        });
        System.out.printf("base figures the variants take a share of: %s%n", medians);
        return medians;
    }

    private void start(ChildProcesses children, Side side, int fork) throws Exception {
        Path logs = plan.out().resolve("fork-" + fork).resolve(side.name.replaceAll("[^A-Za-z0-9_.+-]", "_"));
        CapacityProbe.Settings settings = new CapacityProbe.Settings(plan.connections(), DEPTH, Duration.ofMillis(500), plan.window(), plan.windows(),
                Duration.ofSeconds(10), plan.pace());
        if (side.command != null) {
            side.commandServer = CommandServer.start(children, side.command, plan.serverCpus(), logs.resolve("server.log"));
            side.probe = new CapacityProbe(side.commandServer.uri(), null, plan.commands().protocol(), settings);
        } else {
            side.fleet = ServerFleet.start(children, new ServerLaunch(side.classpath, side.jvmArgs, side.serverArgs, plan.serverCpus()), 1, null, logs);
            side.probe = CapacityProbe.of(side.fleet, settings);
        }
        side.probe.connect();
        System.out.printf("fork %d: started %s%s%n", fork, side.name, side.serverArgs.isEmpty() ? "" : " (" + side.serverArgs + ")");
    }

    private void stop(ChildProcesses children, Side side) {
        if (side.probe != null) side.probe.close();
        if (side.fleet != null) side.fleet.stop(children);
        if (side.commandServer != null) children.stop(side.commandServer.process());
        side.probe = null;
        side.fleet = null;
        side.commandServer = null;
    }

    /** Short probe passes over every phase, thrown away: the JIT's work. */
    private void warm(Side side) throws Exception {
        side.probe.warmUp(plan.phases().isEmpty() ? List.of("ack") : plan.phases(), plan.warmupPasses());
    }

    /** Measures one phase on a candidate and its base at once; both sides' figures go into the candidate's rounds. */
    private void measurePair(Side candidate, int round, int fork, String phaseName) throws Exception {
        Map<String, Double> ofBase = new LinkedHashMap<>();
        Map<String, Double> ofCandidate = new LinkedHashMap<>();
        Step baseStep = () -> ofBase.putAll(measure(candidate.twin, round, phaseName));
        Step candidateStep = () -> ofCandidate.putAll(measure(candidate, round, phaseName));
        if (plan.inTurns().contains(phaseName)) {
            inTurns(baseStep, candidateStep, round);
        } else {
            together(baseStep, candidateStep, round);
        }
        candidate.baseRounds.computeIfAbsent(round, key -> new LinkedHashMap<>()).putAll(ofBase);
        candidate.rounds.computeIfAbsent(round, key -> new LinkedHashMap<>()).putAll(ofCandidate);
        candidate.forkOfRound.put(round, fork);
    }

    /** A step that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs two steps one after the other, the base first in odd turns and the candidate first in even ones. */
    private static void inTurns(Step base, Step candidate, int turn) throws Exception {
        (turn % 2 == 0 ? candidate : base).run();
        (turn % 2 == 0 ? base : candidate).run();
    }

    /**
     * Runs two steps at the same time, one on a thread of its own, and waits for both (bounded).
     * Which of them gets the new thread alternates with {@code turn}, so that neither side is always the one started second.
     */
    private static void together(Step base, Step candidate, int turn) throws Exception {
        Step own = turn % 2 == 0 ? base : candidate;
        Step here = turn % 2 == 0 ? candidate : base;
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            try {
                own.run();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            here.run();
        } finally {
            try {
                other.get(5, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** One phase's figures on one side; a phase that lost, duplicated or failed a send is NaN and a problem. */
    private Map<String, Double> measure(Side side, int round, String phaseName) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (CapacityProbe.Phase phase : side.probe.run(List.of(phaseName), false)) {
            for (AbMetric metric : plan.metrics()) {
                if (metric.path().equals(phase.name())) {
                    figures.put(metric.name(), phase.clean() ? metric.of(phase) : Double.NaN);
                }
            }
            if (!phase.clean()) {
                problems.add(String.format("%s round %d %s: %,d lost, %,d duplicated, %,d failed sends", side.name, round, phase.name(),
                        phase.lost(), phase.duplicated(), phase.sendFailures()));
            }
            double offered = plan.pace().offered(phase.name(), plan.connections());
            if (offered > 0 && phase.stretch().rate() < offered * KEPT_PACE) {
                // Behind the pace, a server batches what waited and pays less per unit: its figure is not comparable.
                figures.replaceAll((name, value) -> Double.NaN);
                problems.add(String.format("%s round %d %s: %,.0f units/s of %,.0f offered; lower --pace %s", side.name, round, phase.name(),
                        phase.stretch().rate(), offered, phase.name()));
            }
        }
        return figures;
    }

    private static void record(Map<Integer, Map<String, Double>> rounds, int firstRound, int lastRound, double[] halves) {
        rounds.computeIfAbsent(firstRound, key -> new LinkedHashMap<>()).put(IDLE_METRIC, halves[0]);
        rounds.computeIfAbsent(lastRound, key -> new LinkedHashMap<>()).put(IDLE_METRIC, halves[1]);
    }

    /** Memory held per idle connection over the first half of them and over the second; NaN, and a problem, when it could not be measured. */
    private double[] idleBytes(Side side) {
        try {
            IdleMemory.Figures figures = IdleMemory.measure(side.fleet.servers().get(0), side.fleet.webSocketUri(), plan.idleConnections());
            return figures.heldBytesPerConnectionByHalf();
        } catch (Exception e) {
            problems.add(side.name + ": memory per idle connection not measured: " + e.getMessage());
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private static String brief(Map<String, Double> figures) {
        List<String> parts = new ArrayList<>();
        figures.forEach((name, value) -> parts.add(String.format("%s=%,.0f", name.replace(".per_server_cpu_s", "/cpu-s").replace(".bytes_per_unit", " B"), value)));
        return String.join(" ", parts);
    }
}
