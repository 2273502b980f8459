package io.wshunt.runner;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wshunt.contract.Json;
import io.wshunt.contract.Profile;
import io.wshunt.contract.SimulationSetting;
import io.wshunt.preflight.HostLimits;
import io.wshunt.preflight.Preflight;
import io.wshunt.preflight.RunPlan;
import io.wshunt.preflight.Shell;
import io.wshunt.report.CeilingShare;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.report.page.RunPage;
import io.wshunt.runner.gate.Baseline;
import io.wshunt.runner.gate.Comparison;
import io.wshunt.runner.gate.Figures;
import io.wshunt.runner.gate.Metric;
import io.wshunt.runner.limit.LimitFinder;
import io.wshunt.runner.limit.Slo;
import io.wshunt.runner.page.RunHistory;
import io.wshunt.runner.probe.Ceiling;
import io.wshunt.runner.probe.ProbeFigures;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ListeningProcess;
import io.wshunt.runner.process.ServerFleet;
import org.eclipse.jetty.util.IO;

/**
 * The whole pipeline behind {@code ci/run-suite.sh}: preflight, then for each simulation fresh
 * server processes (with Redis between them when there are several), injector processes started
 * together, a progress line every few seconds, one merged Gatling report, and the accounting;
 * finally {@code summary.json}. Every process it starts is stopped, also on failure and Ctrl-C.
 */
public final class SuiteRunner {
    /** Sockets without an upgrade a server may hold at the end unnamed: connections still closing. */
    static final int NEVER_UPGRADED_TOLERATED = 100;
    static final String CHECK_OPTIONS = "--check-options";
    private final RunnerOptions options;
    private final HostLimits limits;
    private final RunPlan plan;
    private final RedisLauncher.Source redis;
    private LoadSizing load;

    SuiteRunner(RunnerOptions options, HostLimits limits) {
        this.options = options;
        this.limits = limits;
        RunPlan derived = RunPlan.derive(options.users(), limits, options.servers(), options.injectors());
        // A server the user started is its own business: no Redis between servers the runner does not start.
        boolean backplane = derived.servers() > 1 && !options.drivesTarget();
        this.redis = backplane ? RedisLauncher.source(options.redisUri()) : RedisLauncher.Source.NONE;
        this.plan = backplane ? derived.with(RedisLauncher.check(redis, derived.servers())) : derived;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, HostLimits.read()));
    }

    /** Runs the suite as the command line says; returns the exit code (0 passed, 1 failed, 2 usage, 3 refused). */
    public static int run(String[] args, HostLimits limits) throws Exception {
        // ci/run-suite.sh asks first, before it builds: a mistyped option costs no build.
        boolean checkOnly = args.length > 0 && args[0].equals(CHECK_OPTIONS);
        String[] given = checkOnly ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        if (List.of(given).contains("--help") || List.of(given).contains("-h")) {
            if (!checkOnly) {
                System.out.print(RunnerOptions.help());
            }
            return 0;
        }
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(given);
        } catch (IllegalArgumentException e) {
            System.err.println("run-suite: " + e.getMessage());
            return 2;
        }
        if (checkOnly) {
            return 0;
        }
        return new SuiteRunner(options, limits).run();
    }

    int run() throws Exception {
        System.out.print(Preflight.table(limits, plan));
        if (options.preflightOnly()) {
            return plan.feasible() ? 0 : 3;
        }
        if (plan.servers() > 1 && redis == RedisLauncher.Source.NONE && !options.drivesTarget()) {
            System.out.print("\n" + RedisLauncher.MISSING);
            return 3;
        }
        if (!plan.feasible() && !options.force()) {
            System.out.println("Refusing to start a run that is bound to fail; lift the limit above, or pass --force.");
            return 3;
        }
        Files.createDirectories(options.outDir());
        if (options.findLimit()) {
            FinderPaths.clearFlightDir(options.outDir());
        }
        List<SimulationOutcome> outcomes = new ArrayList<>();
        Map<String, Object> capacity = null;
        Ceiling ceiling = null;
        try (ChildProcesses children = new ChildProcesses()) {
            if (options.ceiling() && options.drivesTarget()) {
                // The ceiling is this machine's against wshunt's server; loading the user's server before the run would be another test.
                System.out.println("\n== this machine's ceiling: not measured against a --target (to probe it: ci/probe.sh --target "
                        + options.target() + " --profile NAME [--stats URL])");
            } else if (options.ceiling()) {
                System.out.println("\n== this machine's ceiling: the capacity probe against one server process (about 30 s)");
                ceiling = Ceiling.measure(children, options.serverLaunch(), options.outDir().resolve("ceiling"));
                System.out.println(ProbeFigures.HEADER);
                ceiling.phases().values().forEach(phase -> System.out.println(ProbeFigures.line(phase)));
            }
            load = LoadSizing.of(plan.users(), options.simulationProperties(), Optional.ofNullable(ceiling));
            System.out.print("\n" + load.describe());
            String redisUri = options.redisUri();
            if (redisUri == null && plan.servers() > 1 && !options.drivesTarget()) {
                redisUri = RedisLauncher.start(redis, children, options.outDir());
                System.out.println("Started Redis for the broadcast backplane (" + redis.words + "): " + RedisLauncher.shown(redisUri));
            }
            if (options.findLimit()) {
                capacity = findLimit(children, redisUri, ceiling);
            } else {
                for (String simulation : options.simulations()) {
                    LoadSizing shaped = load;
                    if (options.seedScenario()) {
                        Map<String, String> settings = SeedScenario.settings(simulation, plan.users(), options.simulationProperties());
                        System.out.printf("%nThe seed's scenario: %s with %s%n", simulation, settings);
                        shaped = load.with(settings, "the seed's scenario");
                    }
                    LoadSizing mine = shaped.forSimulation(simulation);
                    if (mine != shaped) {
                        System.out.printf("%n%s connects at %s users/s: %s%n", simulation, mine.properties().get(SimulationSetting.CONNECT_RATE.key()),
                                mine.reasons().get(SimulationSetting.CONNECT_RATE.key()));
                        shaped = mine;
                    }
                    SimulationOutcome outcome = runSimulation(children, simulation, redisUri, ceiling, shaped, freshDirectory(simulation), new ProcessSampler(),
                            new ServerCounts());
                    outcomes.add(outcome);
                    if (simulation.equals("MessageThroughput") && shaped.acked()) {
                        paceEnduranceFrom(outcome.serverBenchmarkRate());
                    }
                }
            }
        }
        Map<String, Object> summaryMap = summary(outcomes, ceiling);
        if (capacity != null) {
            summaryMap.put("capacity", capacity);
        }
        List<Map<String, Object>> seed = options.seedScenario() ? SeedScenario.judge(outcomes, Optional.ofNullable(ceiling)) : null;
        if (seed != null) {
            summaryMap.put("seed", Map.of("source", SeedScenario.SOURCE, "tests", seed));
        }
        Map<String, Double> baseline = new LinkedHashMap<>();
        boolean baselinePassed = true;
        if (options.baselineFile() != null) {
            List<Metric> metrics = Baseline.read(options.baselineFile());
            metrics.forEach(metric -> baseline.put(metric.id(), metric.baseline()));
            Comparison comparison = Comparison.of(metrics, Figures.of(Json.MAPPER.valueToTree(summaryMap)));
            System.out.print("\n" + comparison.table());
            summaryMap.put("gate", comparison.toMap(options.baselineFile().toString()));
            baselinePassed = comparison.passes();
        }
        JsonNode summary = writeSummary(summaryMap);
        boolean passed = outcomes.stream().allMatch(SimulationOutcome::passed) && (capacity == null || LimitFinder.allMeasured(capacity));
        outcomes.forEach(outcome -> System.out.print(outcome.table()));
        if (seed != null) {
            System.out.print(SeedScenario.table(seed));
            passed &= SeedScenario.allPassed(seed);
        }
        String commit = Optional.ofNullable(Shell.output("git rev-parse HEAD 2>/dev/null")).map(String::trim).orElse("unknown");
        Path page = RunPage.write(options.outDir(), summary, RunHistory.append(options.historyFile(), summary, commit, passed), baseline);
        System.out.println("\nSummary: " + options.outDir().resolve("summary.json"));
        System.out.println("Run page: " + page);
        if (!baselinePassed) {
            System.out.println("The run fails: its figures fall short of " + options.baselineFile() + " (the table above)");
        }
        return passed && baselinePassed ? 0 : 1;
    }

    /** From here on, an acked Endurance offers within the rate an acked burst reached ({@link LoadSizing#afterBurst}); says so when that changes it. */
    private void paceEnduranceFrom(double burstAckedPerS) {
        LoadSizing paced = load.afterBurst(burstAckedPerS, plan.users());
        if (paced != load) {
            System.out.printf("%nEndurance from here: %s msg/s for %s s, %s%n", paced.properties().get(SimulationSetting.ENDURANCE_RATE.key()),
                    paced.properties().get(SimulationSetting.ENDURANCE_SECONDS.key()), paced.reasons().get(SimulationSetting.ENDURANCE_SECONDS.key()));
            load = paced;
        }
    }

    /**
     * One simulation against the server the user started: injectors only; its counters where the
     * injectors read them ({@code -DstatsUrl}), else "not counted"; its CPU from its process when it runs here.
     */
    private SimulationOutcome runAgainstTarget(ChildProcesses children, String simulation, CeilingShare ceiling, LoadSizing load, Path dir,
                                               ProcessSampler sampler) throws Exception {
        SimulationOutcome.Builder outcome = newOutcome(simulation, ceiling, load);
        System.out.printf("%n== %s: %,d users against %s, %d injector(s)%n", simulation, plan.users(), options.target(), plan.injectors());
        long started = System.nanoTime();
        InjectorFleet injectors = InjectorFleet.start(children, options, load, plan, simulation,
                new InjectorFleet.Targets(Collections.nCopies(plan.injectors(), options.target()), ""), dir);
        URI target = URI.create(options.target());
        new RunMonitor(simulation, plan.users(), options.timeoutPerSimulation(), started, null)
                .watchInjectors(injectors, ListeningProcess.serving(target.getHost(), target.getPort()), sampler, outcome);
        outcome.durationMillis((System.nanoTime() - started) / 1_000_000);
        InjectorResults.targetCounters(injectors.injectors().stream().map(InjectorFleet.Injector::results).toList(), simulation)
                .ifPresent(counted -> counted.forEach(outcome::serverCounter));
        collect(children, simulation, injectors, dir, outcome);
        return outcome.processes(sampler.toMap()).build();
    }

    /**
     * The limit finder over each path asked for, one after the other, the budget left shared between
     * the paths still to climb (see {@link FinderPaths}).
     */
    private Map<String, Object> findLimit(ChildProcesses children, String redisUri, Ceiling ceiling) {
        Map<String, Object> capacity = new LinkedHashMap<>();
        long deadline = System.nanoTime() + options.findLimitBudget().toNanos();
        List<String> paths = options.findLimitPaths();
        FinderPaths finder = new FinderPaths(options, plan.users(), limits.cpus());
        FinderPaths.Simulations simulations = (simulation, settings, folder, sampler, arrivals) -> runSimulation(children, simulation, redisUri, ceiling,
                load.with(settings, "the limit finder's ladder"), freshDirectory(folder), sampler, arrivals);
        if (options.drivesTarget()) {
            Profile profile = Profile.load(options.simulationProperties().getOrDefault(SimulationSetting.PROFILE.key(), SimulationSetting.PROFILE.defaultValue()));
            for (String path : FinderPaths.ALL) {
                Optional<String> why = FinderPaths.notClimbable(path, profile);
                if (why.isPresent() && paths.contains(path)) {
                    capacity.put(path, LimitFinder.notMeasured(why.get()));
                } else {
                    why.ifPresent(reason -> System.out.printf("%nThe limit of %s is not climbed against a --target: %s%n", path, reason));
                }
            }
            paths = paths.stream().filter(path -> !capacity.containsKey(path)).toList();
        }
        for (int i = 0; i < paths.size(); i++) {
            Duration budget = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()) / (paths.size() - i));
            LimitFinder.ServerPath path = finder.path(paths.get(i), ceiling);
            System.out.printf("%n== the limit of %s: %,d users connected, the rate stepped up (SLO: nothing lost or failed, %sat least %.0f%% of offered "
                    + "achieved; at most %d s)%n", path.unit(), plan.users(), path.slo().p99Millis() == Slo.NO_LATENCY ? ""
                    : String.format("p99 <= %,d ms, ", path.slo().p99Millis()), Slo.MIN_ACHIEVED_SHARE * 100, budget.toSeconds());
            try {
                capacity.put(path.name(), LimitFinder.find(path, (name, rates) -> finder.ladder(path.name(), name, rates, simulations), budget));
            } catch (Exception e) {
                capacity.put(path.name(), LimitFinder.notMeasured(e));
            }
        }
        System.out.print(LimitFinder.table(capacity));
        return capacity;
    }

    /** A simulation's directory, emptied of what an earlier run with the same --out left there. */
    private Path freshDirectory(String simulation) throws IOException {
        Path dir = options.outDir().resolve(simulation);
        if (clearPreviousRun(dir)) {
            System.out.println("(replaced the earlier run's " + dir + ")");
        }
        return dir;
    }

    private SimulationOutcome.Builder newOutcome(String simulation, CeilingShare ceiling, LoadSizing load) {
        SimulationOutcome.Builder outcome = new SimulationOutcome.Builder(simulation, plan.users()).ceiling(ceiling)
                .offered(load.intProperty(SimulationSetting.CONNECT_RATE), simulation.equals("ChatBroadcast") ? load.offeredDeliveriesPerSecond(plan.users()) : 0);
        if (simulation.equals("Endurance")) {
            outcome.sustainedWindowS(load.intProperty(SimulationSetting.ENDURANCE_SECONDS));
        }
        return outcome;
    }

    /** What every injector says at the end: its exit, its accounting, its log into one report. */
    private void collect(ChildProcesses children, String simulation, InjectorFleet injectors, Path dir, SimulationOutcome.Builder outcome)
            throws IOException, InterruptedException {
        List<Integer> exits = injectors.exitCodes();
        for (InjectorFleet.Injector injector : injectors.injectors()) {
            InjectorFleet.exitProblem(injector.index(), exits.get(injector.index() - 1), injector.dir().resolve("gatling.log"))
                    .ifPresent(outcome::problem);
        }
        List<Path> logs = InjectorResults.gather(injectors.injectors().stream().map(InjectorFleet.Injector::results).toList(), simulation, outcome);
        MergedReport.into(children, options.classpath(), dir, logs, outcome);
    }

    private SimulationOutcome runSimulation(ChildProcesses children, String simulation, String redis, CeilingShare ceiling, LoadSizing load, Path dir,
                                            ProcessSampler sampler, ServerCounts arrivals) throws Exception {
        if (options.drivesTarget()) {
            return runAgainstTarget(children, simulation, ceiling, load, dir, sampler);
        }
        SimulationOutcome.Builder outcome = newOutcome(simulation, ceiling, load);
        System.out.printf("%n== %s: %,d users, %d server(s), %d injector(s)%n", simulation, plan.users(), plan.servers(), plan.injectors());
        ServerFleet servers = ServerFleet.start(children, options.serverLaunch(), plan.servers(), plan.servers() > 1 ? redis : null, dir,
                plan.injectorAddresses());
        try {
            if (options.warmUp()) {
                ServerWarmUp.Result warmUp = ServerWarmUp.warm(servers);
                System.out.println(warmUp.describe());
                outcome.problems(warmUp.problems());
            }
            // Counted from here: the warm-up's messages are not the simulation's.
            JsonNode atStart = servers.summedStats().orElseThrow(() -> new IllegalStateException("a server did not answer /stats before the simulation"));
            long started = System.nanoTime();
            InjectorFleet injectors = InjectorFleet.start(children, options, load, plan, simulation, InjectorFleet.Targets.of(servers, plan), dir);
            outcome.peakConnections(new RunMonitor(simulation, plan.users(), options.timeoutPerSimulation(), started, plan.servers() > 1 ? redis : null)
                    .watch(servers, atStart, injectors, sampler, arrivals, outcome));
            outcome.durationMillis((System.nanoTime() - started) / 1_000_000);
            List<Optional<JsonNode>> finalStats = finalStats(servers, outcome);
            for (String counter : SimulationOutcome.SERVER_COUNTERS) {
                outcome.serverCounter(counter, ServerFleet.sum(finalStats, counter) - atStart.path(counter).asLong());
            }
            collect(children, simulation, injectors, dir, outcome);
            return outcome.processes(sampler.toMap()).build();
        } finally {
            servers.stop(children);
        }
    }

    /**
     * Every server's /stats at the end, asked up to three times: a server that still does not
     * answer is named, since its counters are missing from the sums, not zero.
     */
    private static List<Optional<JsonNode>> finalStats(ServerFleet servers, SimulationOutcome.Builder outcome) throws InterruptedException {
        List<Optional<JsonNode>> stats = servers.stats();
        for (int attempt = 1; attempt < 3 && stats.stream().anyMatch(Optional::isEmpty); attempt++) {
            Thread.sleep(1_000);
            stats = servers.stats();
        }
        for (int i = 0; i < stats.size(); i++) {
            stats.get(i).flatMap(SuiteRunner::socketsNeverUpgraded).ifPresent(outcome::problem);
            if (stats.get(i).isEmpty()) {
                ServerFleet.Server server = servers.servers().get(i);
                outcome.problem(String.format("%s (pid %d, %s) did not answer /stats at the end: its counters are missing from every figure",
                        server.name(), server.process().pid(), server.process().isAlive() ? "alive" : "dead"));
            }
        }
        return stats;
    }

    /**
     * Sockets still open at the end beyond the WebSocket connections: clients that connected and
     * never upgraded (a slowloris, a stuck proxy) hold the server's files and were not the run's.
     */
    public static Optional<String> socketsNeverUpgraded(JsonNode stats) {
        long extra = stats.path("open_sockets").asLong(-1) - stats.path("connections").asLong();
        return extra > NEVER_UPGRADED_TOLERATED
                ? Optional.of(String.format("%s held %,d open sockets that never upgraded to WebSocket at the end: not this run's users, and each holds a file",
                        stats.path("node_id").asText("a server"), extra))
                : Optional.empty();
    }

    /**
     * Deletes what an earlier run with the same {@code --out} left in a simulation's directory: its
     * injectors' logs would otherwise be merged into this run's report. Returns whether there was any.
     */
    static boolean clearPreviousRun(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return false;
        }
        if (!IO.delete(dir)) {
            throw new IOException("could not delete " + dir + ", left by an earlier run with the same --out");
        }
        return true;
    }

    /** What {@code summary.json} holds: the plan, the machine, the settings, the ceiling and every simulation's outcome. */
    private Map<String, Object> summary(List<SimulationOutcome> outcomes, Ceiling ceiling) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("users", plan.users());
        summary.put("plan", options.drivesTarget() ? Map.of("target", options.target(), "injectors", plan.injectors())
                : Map.of("servers", plan.servers(), "injectors", plan.injectors(), "injector_addresses", plan.injectorAddresses()));
        summary.put("preflight", plan.checks());
        summary.put("machine", Map.of(
                "os", limits.os() + " " + System.getProperty("os.version"),
                "cpus", limits.cpus(),
                "memory_available_mb", limits.memoryAvailableBytes() >> 20,
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
        summary.put("versions", Map.of("gatling", String.join(",", SimulationLog.KNOWN_VERSIONS), "wshunt",
                Optional.ofNullable(SuiteRunner.class.getPackage().getImplementationVersion()).orElse("dev")));
        summary.put("settings", load.properties());
        summary.put("settings_given", options.simulationProperties());
        summary.put("ceiling", ceiling == null ? null : ceiling.toMap());
        summary.put("simulations", outcomes.stream().map(SimulationOutcome::toMap).toList());
        return summary;
    }

    /** Writes {@code summary.json} and returns what it holds, for the run page and the history. */
    private JsonNode writeSummary(Map<String, Object> summary) throws IOException {
        JsonNode written = Json.MAPPER.valueToTree(summary);
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.outDir().resolve("summary.json").toFile(), written);
        return written;
    }
}
