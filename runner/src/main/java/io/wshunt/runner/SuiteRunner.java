package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The whole pipeline behind {@code ci/run-suite.sh}: preflight, then for each simulation fresh
 * server processes (with Redis between them when there are several), injector processes started
 * together, a progress line every few seconds, one merged Gatling report, and the accounting;
 * finally {@code summary.json}. Every process it starts is stopped, also on failure and Ctrl-C.
 */
public final class SuiteRunner {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    private final RunnerOptions options;
    private final HostLimits limits;
    private final RunPlan plan;

    SuiteRunner(RunnerOptions options, HostLimits limits) {
        this.options = options;
        this.limits = limits;
        this.plan = RunPlan.derive(options.users(), limits, options.servers(), options.injectors());
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, HostLimits.read()));
    }

    /** Runs the suite as the command line says; returns the exit code (0 passed, 1 failed, 2 usage, 3 refused). */
    public static int run(String[] args, HostLimits limits) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(RunnerOptions.help());
            return 0;
        }
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("run-suite: " + e.getMessage());
            return 2;
        }
        return new SuiteRunner(options, limits).run();
    }

    int run() throws Exception {
        System.out.print(Preflight.table(limits, plan));
        if (options.preflightOnly()) {
            return plan.feasible() ? 0 : 3;
        }
        if (!plan.feasible() && !options.force()) {
            System.out.println("Refusing to start a run that is bound to fail; lift the limit above, or pass --force.");
            return 3;
        }
        Files.createDirectories(options.outDir());
        List<SimulationOutcome> outcomes = new ArrayList<>();
        try (ChildProcesses children = new ChildProcesses()) {
            String redis = options.redisUri();
            if (redis == null && plan.servers() > 1) {
                redis = RedisLauncher.start(children, options.outDir());
                System.out.println("Started redis-server for the broadcast backplane: " + redis);
            }
            for (String simulation : options.simulations()) {
                outcomes.add(runSimulation(children, simulation, redis));
            }
        }
        Path summary = writeSummary(outcomes);
        outcomes.forEach(outcome -> System.out.print(outcome.table()));
        System.out.println("\nSummary: " + summary);
        return outcomes.stream().allMatch(SimulationOutcome::passed) ? 0 : 1;
    }

    private SimulationOutcome runSimulation(ChildProcesses children, String simulation, String redis) throws Exception {
        Path dir = options.outDir().resolve(simulation);
        SimulationOutcome outcome = new SimulationOutcome(simulation, plan.users());
        ProcessSampler sampler = new ProcessSampler();
        long started = System.nanoTime();
        System.out.printf("%n== %s: %,d users, %d server(s), %d injector(s)%n", simulation, plan.users(), plan.servers(), plan.injectors());
        ServerFleet servers = ServerFleet.start(children, options.serverLaunch(), plan.servers(), plan.servers() > 1 ? redis : null, dir);
        try {
            InjectorFleet injectors = InjectorFleet.start(children, options, plan, simulation, servers, dir);
            outcome.peakConnections = monitor(simulation, servers, injectors, sampler, started, outcome);
            outcome.durationMillis = (System.nanoTime() - started) / 1_000_000;
            List<Optional<JsonNode>> finalStats = servers.stats();
            for (String counter : List.of("benchmark_messages", "acks", "chat_messages", "deliveries", "deliveries_dropped", "errors", "rejected_frames", "backplane_errors")) {
                outcome.server.put(counter, sum(finalStats, counter));
            }
            List<Integer> exits = injectors.exitCodes();
            List<Path> logs = new ArrayList<>();
            for (InjectorFleet.Injector injector : injectors.injectors()) {
                int exit = exits.get(injector.index() - 1);
                if (exit != 0) {
                    outcome.problems.add("injector-" + injector.index() + " exited with " + exit + " (see " + injector.dir().resolve("gatling.log") + ")");
                }
                Path accounting = injector.accountingFile(simulation);
                if (Files.exists(accounting)) {
                    outcome.addInjector(accounting);
                } else {
                    outcome.problems.add("injector-" + injector.index() + " wrote no accounting");
                }
                injector.simulationLog().ifPresent(logs::add);
            }
            mergeReport(dir, logs, outcome);
            outcome.processes = sampler.toMap();
        } finally {
            servers.stop(children);
        }
        return outcome;
    }

    /**
     * Samples the servers every second until every injector is done, printing one progress line
     * every few seconds; returns the peak of connections summed over the servers.
     */
    private long monitor(String simulation, ServerFleet servers, InjectorFleet injectors, ProcessSampler sampler,
                         long started, SimulationOutcome outcome) throws InterruptedException {
        long peak = 0;
        long lastBenchmark = 0;
        long lastDeliveries = 0;
        long lastPrint = System.nanoTime();
        long deadline = started + options.timeoutPerSimulation().toNanos();
        List<long[]> cpuAndBenchmark = new ArrayList<>();
        while (injectors.running() > 0) {
            Thread.sleep(SAMPLE_EVERY.toMillis());
            List<Optional<JsonNode>> stats = servers.stats();
            long answering = stats.stream().filter(Optional::isPresent).count();
            long now = System.nanoTime();
            servers.servers().forEach(server -> sampler.sample(server.name(), server.process().pid()));
            injectors.injectors().forEach(injector -> sampler.sample("injector-" + injector.index(), injector.process().pid()));
            if (answering == stats.size()) {
                // Only a complete picture counts: a server too busy to answer would make the sums dip.
                peak = Math.max(peak, sum(stats, "connections"));
                cpuAndBenchmark.add(new long[] {sum(stats, "cpu_time_ms"), sum(stats, "benchmark_messages")});
            }
            if (now - lastPrint >= PROGRESS_EVERY.toNanos()) {
                double seconds = (now - lastPrint) / 1e9;
                long benchmark = sum(stats, "benchmark_messages");
                long deliveries = sum(stats, "deliveries");
                System.out.printf("[%s %s] connected %,d/%,d | benchmark %,.0f msg/s | deliveries %,.0f/s | server errors %,d | injectors running %d/%d%s%n",
                        simulation, clock(now - started), sum(stats, "connections"), plan.users(), Math.max(0, benchmark - lastBenchmark) / seconds,
                        Math.max(0, deliveries - lastDeliveries) / seconds, sum(stats, "errors"), injectors.running(), injectors.injectors().size(),
                        answering < stats.size() ? " | " + (stats.size() - answering) + " server(s) not answering /stats" : "");
                lastBenchmark = benchmark;
                lastDeliveries = deliveries;
                lastPrint = now;
            }
            if (now > deadline) {
                outcome.problems.add("timed out after " + options.timeoutPerSimulation().toMinutes() + " min; injectors stopped");
                injectors.injectors().forEach(injector -> injector.process().destroy());
                break;
            }
        }
        for (InjectorFleet.Injector injector : injectors.injectors()) {
            injector.process().waitFor();
        }
        outcome.serverMsgsPerCpuSecond = messagesPerCpuSecond(cpuAndBenchmark);
        return peak;
    }

    /**
     * Benchmark messages the servers counted per second of their CPU, over the samples from just
     * before the first message to the first sample holding the last one: what the server spends per
     * message, whatever the injectors manage to send.
     */
    static double messagesPerCpuSecond(List<long[]> cpuAndBenchmark) {
        if (cpuAndBenchmark.size() < 2) return 0;
        long first = cpuAndBenchmark.get(0)[1];
        long last = cpuAndBenchmark.get(cpuAndBenchmark.size() - 1)[1];
        int from = 0;
        while (from + 1 < cpuAndBenchmark.size() && cpuAndBenchmark.get(from + 1)[1] == first) from++;
        int to = from;
        while (to < cpuAndBenchmark.size() - 1 && cpuAndBenchmark.get(to)[1] < last) to++;
        long cpuMillis = cpuAndBenchmark.get(to)[0] - cpuAndBenchmark.get(from)[0];
        long messages = cpuAndBenchmark.get(to)[1] - cpuAndBenchmark.get(from)[1];
        return cpuMillis > 0 ? messages * 1000.0 / cpuMillis : 0;
    }

    /** One Gatling report from every injector's log. */
    private void mergeReport(Path dir, List<Path> logs, SimulationOutcome outcome) throws IOException, InterruptedException {
        if (logs.isEmpty()) {
            outcome.problems.add("no simulation.log to report");
            return;
        }
        MergedReport report = MergedReport.draw(options.classpath(), dir, logs);
        outcome.requests = report.stats().requestFigures();
        outcome.report = report.index();
        outcome.problems.addAll(report.problems());
    }

    private Path writeSummary(List<SimulationOutcome> outcomes) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("users", plan.users());
        summary.put("plan", Map.of("servers", plan.servers(), "injectors", plan.injectors(), "injector_addresses", plan.injectorAddresses()));
        summary.put("preflight", plan.checks());
        summary.put("machine", Map.of(
                "os", limits.os() + " " + System.getProperty("os.version"),
                "cpus", limits.cpus(),
                "memory_available_mb", limits.memoryAvailableBytes() >> 20,
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
        summary.put("versions", Map.of("gatling", String.join(",", SimulationLog.KNOWN_VERSIONS), "wshunt",
                Optional.ofNullable(SuiteRunner.class.getPackage().getImplementationVersion()).orElse("dev")));
        summary.put("settings", options.simulationProperties());
        summary.put("simulations", outcomes.stream().map(SimulationOutcome::toMap).toList());
        Path file = options.outDir().resolve("summary.json");
        Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
        return file;
    }

    private static long sum(List<Optional<JsonNode>> stats, String counter) {
        return stats.stream().flatMap(Optional::stream).mapToLong(node -> node.path(counter).asLong()).sum();
    }

    private static String clock(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
