package io.wshunt.runner.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.wshunt.contract.Json;
import io.wshunt.contract.Profile;
import io.wshunt.contract.ServerCommand;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.probe.ProbeProtocol;
import io.wshunt.runner.process.CommandServer;
import io.wshunt.runner.process.ServerLaunch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ci/ab.sh}: judges a candidate server build against a base build on every path of the
 * server, side by side, with the capacity probe. Each path has two figures: units per second of the
 * server's CPU, and bytes allocated per unit, the second close to exact from one JVM to the next;
 * idle connections have the memory each holds. With {@code --variant}, several candidates (the
 * candidate build with a deliberate regression each) are judged against one base at once: that is
 * how {@code ci/prove-gate.sh} shows what the gate catches. With {@code --base-command} and
 * {@code --candidate-command}, the builds are a server of another stack, spoken to through its
 * protocol profile, judged on CPU per unit of the paths the profile has (its process's CPU: no
 * allocation or idle memory figures).
 */
@Command(name = "ab", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Judges a candidate server build against a base build, side by side, on every path of the server.")
public final class AbCommand implements Callable<Integer> {
    /**
     * Each path's tolerances, the ones results/gate-proof.md measures. Paced and loaded together, a
     * pair's CPU per round trip moves by 1-2% from one round to the next and an injected +10% reads
     * 0.90, so the round trip gets 5%; broadcast and connect keep 10%. Bytes per delivery, per
     * connect and per idle connection hold within 1% from one JVM to the next; bytes per round trip
     * settle at a level of each JVM's own, up to 5% either side of the build's (2,727 to 2,938 bytes
     * over fourteen JVMs of one build), so a round trip's bytes get 10%.
     */
    static final String CPU_TOLERANCES = "ack=0.05,broadcast=0.10,connect=0.10,fire=0.10";
    static final String ALLOC_TOLERANCES = "ack=0.10,broadcast=0.05,connect=0.05,fire=0.05";
    /**
     * Rates each server of a pair is offered: about a quarter of one core each here (a round trip
     * costs 35-55 µs of server CPU when every frame is a wakeup of its own, a delivery 13 µs), so
     * that the pair shares the servers' CPU without either waiting for it.
     */
    static final int ACKS_PER_S = 6_000;
    static final int CHATS_PER_S = 100;
    /** Every path the server has, as the gate names it. */
    static final List<String> PATHS = List.of("ack", "broadcast", "connect", AbMetric.IDLE);

    @Option(names = "--base-classpath", description = "the base build's server (wshunt-server.jar)")
    String baseClasspath;
    @Option(names = "--candidate-classpath", description = "the candidate build's server")
    String candidateClasspath;
    @Option(names = "--base-command", description = "instead of classpaths: the command that starts the base build of a server of another stack, "
            + "with " + CommandServer.PORT + " where its port goes (it should listen on 127.0.0.1)")
    String baseCommand;
    @Option(names = "--candidate-command", description = "the command that starts the candidate build, with " + CommandServer.PORT)
    String candidateCommand;
    @Option(names = "--profile", description = "with commands: the servers' protocol, a built-in profile's name or a profile file (default: wshunt's own)")
    String profile;
    @Option(names = "--candidate-server-args", defaultValue = "", description = "extra flags of the candidate's server")
    String candidateServerArgs;
    @Option(names = "--candidate-jvm-args", defaultValue = ServerCommand.DEFAULT_JVM_ARGS,
            description = "JVM flags of the candidate's server, to judge a JVM setting against the default (default ${DEFAULT-VALUE})")
    String candidateJvmArgs;
    @Option(names = "--variant", paramLabel = "NAME=PATH.KIND:PERCENT[,...]",
            description = "judge the candidate build with a deliberate regression, a share of the base's own figure: ack.cpu:10 is 10%% more CPU "
                    + "per acked round trip; paths ack, delivery, connect (kinds cpu, alloc) and idle (kind bytes); NAME=none is the build as it is. Repeatable")
    Map<String, String> variants = new LinkedHashMap<>();
    @Option(names = "--server-cpus", defaultValue = "", description = "taskset CPU list for every server (default: any)")
    String serverCpus;
    @Option(names = "--paths", split = ",",
            description = "paths judged: ack, broadcast, connect, idle (memory per idle connection), fire (default ack,broadcast,connect,idle; "
                    + "with commands, those of them the servers' profile has)")
    List<String> paths;
    @Option(names = "--cpu-tolerance", split = ",", paramLabel = "PATH=FRACTION",
            description = "largest loss of units per server CPU-second that passes, per path; a path not named keeps its default (" + CPU_TOLERANCES + ")")
    Map<String, Double> cpuTolerance = new LinkedHashMap<>();
    @Option(names = "--alloc-tolerance", split = ",", paramLabel = "PATH=FRACTION",
            description = "largest growth of bytes allocated per unit that passes, per path; a path not named keeps its default (" + ALLOC_TOLERANCES + ")")
    Map<String, Double> allocTolerance = new LinkedHashMap<>();
    @Option(names = "--memory-tolerance", defaultValue = "0.03", description = "largest growth of memory per idle connection that passes (default ${DEFAULT-VALUE})")
    double memoryTolerance;
    @Option(names = "--forks", defaultValue = "4", converter = io.wshunt.runner.probe.Numbers.class,
            description = "fresh server JVMs per side at most (default ${DEFAULT-VALUE})")
    int forks;
    @Option(names = "--min-forks", defaultValue = "2", converter = io.wshunt.runner.probe.Numbers.class,
            description = "forks before a pass (a regression may end sooner) (default ${DEFAULT-VALUE})")
    int minForks;
    @Option(names = "--rounds-per-fork", defaultValue = "3", converter = io.wshunt.runner.probe.Numbers.class,
            description = "rounds on each fork's JVMs, two at least (default ${DEFAULT-VALUE})")
    int roundsPerFork;
    @Option(names = "--budget-seconds", defaultValue = "540", converter = io.wshunt.runner.probe.Numbers.class,
            description = "no new fork or round after this long (default ${DEFAULT-VALUE})")
    int budgetSeconds;
    @Option(names = "--warmup-passes", defaultValue = "5", converter = io.wshunt.runner.probe.Numbers.class,
            description = "short probe passes over the phases, thrown away, on each fresh server; fewer leave the first rounds still compiling, a tenth or more off in bytes per round trip now and then (default ${DEFAULT-VALUE})")
    int warmupPasses;
    @Option(names = "--connections", defaultValue = "200", converter = io.wshunt.runner.probe.Numbers.class,
            description = "probe connections per server (default ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--idle-connections", defaultValue = "2000", converter = io.wshunt.runner.probe.Numbers.class,
            description = "idle connections for the memory figure (default ${DEFAULT-VALUE})")
    int idleConnections;
    @Option(names = "--window-ms", defaultValue = "1000", converter = io.wshunt.runner.probe.Numbers.class,
            description = "one measured window (default ${DEFAULT-VALUE})")
    int windowMillis;
    @Option(names = "--windows", defaultValue = "3", converter = io.wshunt.runner.probe.Numbers.class,
            description = "windows per phase and round, judged together: the same stretch of time on both servers of a pair (default ${DEFAULT-VALUE})")
    int windows;
    @Option(names = "--in-turns", defaultValue = "none", split = ",",
            description = "phases that load the two servers of a pair one after the other, each alone on the servers' CPUs; the others load both "
                    + "at the same moment, where both see the same second of a shared machine (default ${DEFAULT-VALUE}: every phase together)")
    List<String> inTurns;
    @Option(names = "--pace", split = ",", paramLabel = "PHASE=RATE",
            description = "the fixed rate each server of a pair is offered: ack=ROUND_TRIPS_PER_S, broadcast=CHATS_PER_S (each delivered to every "
                    + "connection); 0 loads that phase as fast as the server answers. Paced below what both servers together can take, the "
                    + "same load finds the same wakeups on both sides, and identical builds' rounds spread a fifth of what they did closed-loop "
                    + "(results/gate-proof.md) (default ack=" + ACKS_PER_S + ",broadcast=" + CHATS_PER_S + ")")
    Map<String, Integer> pace = new LinkedHashMap<>();
    @Option(names = "--inconclusive", defaultValue = "mean",
            description = "what an inconclusive metric (its interval across the limit when the budget ran out) does to the gate: "
                    + "mean (fails when its mean is past the limit), fail, or pass (default ${DEFAULT-VALUE})")
    String inconclusive;
    @Option(names = "--out", defaultValue = "runs/ab", description = "where logs, ab.txt and ab.json go (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--markdown", description = "write the table in Markdown here (for the job summary)")
    Path markdown;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AbCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AbPlan plan = plan();
        Files.createDirectories(plan.out());
        AbRounds.Result result = new AbRounds(plan).run();
        AbReport report = new AbReport(plan, result);
        String text = report.text();
        System.out.print("\n" + text);
        Files.writeString(plan.out().resolve("ab.txt"), text);
        if (markdown != null) {
            Files.writeString(markdown, report.markdown());
        }
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(plan.out().resolve("ab.json").toFile(), report.json());
        return report.passed() ? 0 : 1;
    }

    /** The options as one checked plan; a wrong one is a usage error before any server starts. */
    AbPlan plan() {
        CommandLine commandLine = new CommandLine(this);
        for (String phase : inTurns) {
            if (!phase.equals("none") && !CapacityProbe.PHASES.contains(phase)) {
                throw new CommandLine.ParameterException(commandLine, "--in-turns " + phase + ": the probe's phases are " + CapacityProbe.PHASES + ", or none");
            }
        }
        for (String path : paths()) {
            if (!PATHS.contains(path) && !CapacityProbe.PHASES.contains(path)) {
                throw new CommandLine.ParameterException(commandLine, "unknown path " + path + "; the gate knows " + PATHS + " and fire");
            }
        }
        AbPlan.Inconclusive whenInconclusive;
        try {
            whenInconclusive = AbPlan.Inconclusive.valueOf(inconclusive.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--inconclusive takes mean, fail or pass, not " + inconclusive);
        }
        if (roundsPerFork < 2) {
            throw new CommandLine.ParameterException(commandLine, "--rounds-per-fork must be 2 or more: each fork gives two samples of idle memory");
        }
        if (minForks > forks) {
            throw new CommandLine.ParameterException(commandLine, "--min-forks (" + minForks + ") is more than --forks (" + forks + ")");
        }
        List<AbPlan.Variant> parsed = new ArrayList<>();
        variants.forEach((name, regressions) -> parsed.add(variant(commandLine, name, regressions)));
        AbPlan.Commands commands = commands(commandLine);
        List<String> judged = commands == null ? paths() : pathsOf(commandLine, commands.protocol());
        List<AbMetric> metrics = AbMetric.of(judged, tolerances(commandLine, CPU_TOLERANCES, cpuTolerance),
                tolerances(commandLine, ALLOC_TOLERANCES, allocTolerance), memoryTolerance);
        if (commands != null) {
            // Another stack's server gives its process's CPU and nothing of its heap.
            metrics = metrics.stream().filter(metric -> metric.kind() == AbMetric.Kind.PER_CPU_SECOND).toList();
        }
        return new AbPlan(baseClasspath, candidateClasspath, ServerCommand.DEFAULT_JVM_ARGS, candidateJvmArgs, candidateServerArgs, commands, parsed,
                serverCpus, judged, metrics, forks, minForks, roundsPerFork,
                Duration.ofSeconds(budgetSeconds), warmupPasses, connections, idleConnections, Duration.ofMillis(windowMillis), windows,
                inTurns.contains("none") ? List.of() : List.copyOf(inTurns), pace(commandLine), whenInconclusive, out.toAbsolutePath());
    }

    /** The builds as commands of another stack's server, or null for wshunt's server by classpath; a mix is a usage error. */
    private AbPlan.Commands commands(CommandLine commandLine) {
        if (baseCommand == null && candidateCommand == null) {
            if (baseClasspath == null || candidateClasspath == null) {
                throw new CommandLine.ParameterException(commandLine, "give --base-classpath and --candidate-classpath, or --base-command and --candidate-command");
            }
            if (profile != null) {
                throw new CommandLine.ParameterException(commandLine, "--profile speaks to a server of another stack: give --base-command and --candidate-command");
            }
            return null;
        }
        if (baseCommand == null || candidateCommand == null || baseClasspath != null || candidateClasspath != null) {
            throw new CommandLine.ParameterException(commandLine, "--base-command and --candidate-command go together, and instead of classpaths");
        }
        if (!variants.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "--variant injects regressions into wshunt's server, not into a command's");
        }
        for (String command : List.of(baseCommand, candidateCommand)) {
            if (!command.contains(CommandServer.PORT)) {
                throw new CommandLine.ParameterException(commandLine, "a server command needs " + CommandServer.PORT + " where its port goes: " + command);
            }
        }
        ProbeProtocol protocol;
        try {
            protocol = profile == null ? ProbeProtocol.WSHUNT : ProbeProtocol.of(Profile.load(profile));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        protocol.cannotProbe().ifPresent(why -> {
            throw new CommandLine.ParameterException(commandLine, why);
        });
        return new AbPlan.Commands(baseCommand, candidateCommand, protocol);
    }

    /**
     * The paths a server of another stack can be judged on: those its protocol has. Memory per idle
     * connection and fire-and-forget messages need wshunt's counters. A path named with --paths
     * that cannot be judged is a usage error; one of the defaults is left out, and said so.
     */
    private List<String> pathsOf(CommandLine commandLine, ProbeProtocol protocol) {
        List<String> judged = new ArrayList<>();
        for (String path : paths()) {
            String why = switch (path) {
                case AbMetric.IDLE -> "memory per idle connection is measured on wshunt's server only";
                case "fire" -> "fire-and-forget messages are counted by wshunt's server only";
                default -> protocol.lacks(path).orElse(null);
            };
            if (why == null) {
                judged.add(path);
            } else if (paths != null) {
                throw new CommandLine.ParameterException(commandLine, "--paths " + path + ": " + why);
            } else {
                System.out.printf("path %s not judged: %s%n", path, why);
            }
        }
        if (judged.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "no path of " + paths() + " can be judged on these servers");
        }
        return List.copyOf(judged);
    }

    /** The paths named with --paths, or every path the server has. */
    private List<String> paths() {
        return paths == null ? PATHS : List.copyOf(paths);
    }

    /** The default pace with the phases the user named replaced; an unknown phase or a negative rate is a usage error. */
    private CapacityProbe.Pace pace(CommandLine commandLine) {
        pace.forEach((phase, rate) -> {
            if (!List.of("ack", "broadcast").contains(phase) || rate < 0) {
                throw new CommandLine.ParameterException(commandLine, "--pace " + phase + "=" + rate
                        + ": the paced phases are ack and broadcast, and a rate is 0 (not paced) or more");
            }
        });
        return new CapacityProbe.Pace(pace.getOrDefault("ack", ACKS_PER_S), pace.getOrDefault("broadcast", CHATS_PER_S));
    }

    /** The defaults, with the paths the user named replaced; an unknown path or a fraction outside [0, 1) is a usage error. */
    private static Map<String, Double> tolerances(CommandLine commandLine, String defaults, Map<String, Double> given) {
        Map<String, Double> tolerances = new LinkedHashMap<>();
        for (String item : defaults.split(",")) {
            String[] parts = item.split("=");
            tolerances.put(parts[0], Double.parseDouble(parts[1]));
        }
        given.forEach((path, tolerance) -> {
            if (!tolerances.containsKey(path) || !(tolerance >= 0 && tolerance < 1)) {
                throw new CommandLine.ParameterException(commandLine, "tolerance " + path + "=" + tolerance
                        + ": the paths are " + tolerances.keySet() + " and a tolerance is a fraction from 0 to below 1");
            }
            tolerances.put(path, tolerance);
        });
        return tolerances;
    }

    private static AbPlan.Variant variant(CommandLine commandLine, String name, String spec) {
        List<AbPlan.Injection> injections = new ArrayList<>();
        if (!spec.isBlank() && !spec.equals("none")) {
            for (String item : spec.split(",")) {
                String[] parts = item.trim().split("[.:]");
                boolean known = parts.length == 3 && switch (parts[0]) {
                    case "ack", "delivery", "connect" -> parts[1].equals("cpu") || parts[1].equals("alloc");
                    case AbMetric.IDLE -> parts[1].equals("bytes");
                    default -> false;
                };
                if (!known || !parts[2].matches("\\d+(\\.\\d+)?")) {
                    throw new CommandLine.ParameterException(commandLine, "--variant " + name + "=" + spec + ": " + item.trim()
                            + " is not PATH.KIND:PERCENT with ack, delivery or connect and cpu or alloc, or idle.bytes");
                }
                injections.add(new AbPlan.Injection(parts[0], parts[1], Double.parseDouble(parts[2])));
            }
        }
        return new AbPlan.Variant(name, injections);
    }
}
