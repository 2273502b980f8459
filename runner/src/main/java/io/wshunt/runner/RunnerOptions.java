package io.wshunt.runner;

import static io.wshunt.contract.SimulationSetting.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wshunt.contract.Profile;
import io.wshunt.contract.ServerCommand;
import io.wshunt.contract.SimulationSetting;
import io.wshunt.runner.probe.Numbers;
import io.wshunt.runner.process.ServerLaunch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The runner's command line: {@code --users 50000 --simulations ChatBroadcast -DchatSenders=20 ...}. */
record RunnerOptions(
        int users,
        List<String> simulations,
        int servers,
        int injectors,
        String redisUri,
        boolean force,
        boolean preflightOnly,
        boolean ceiling,
        boolean warmUp,
        Path outDir,
        Path historyFile,
        Path baselineFile,
        String classpath,
        String serverClasspath,
        String serverArgs,
        String serverJvmArgs,
        String injectorJvmArgs,
        Duration timeoutPerSimulation,
        Map<String, String> simulationProperties,
        String target,
        boolean findLimit,
        boolean seedScenario,
        List<String> findLimitPaths,
        Duration findLimitBudget,
        long sloAckMillis,
        long sloConnectMillis,
        long sloDeliveryMillis) {

    /** The settings the runner itself computes with (the load it sizes); the simulations check the rest. */
    static final List<SimulationSetting> WHOLE_NUMBER_SETTINGS = List.of(CONNECT_RATE, MESSAGES_PER_USER, BURST_SENDERS, CHAT_SENDERS, CHAT_MESSAGES_PER_SENDER,
            CHAT_INTERVAL_MILLIS, ENDURANCE_RATE, ENDURANCE_SECONDS);

    static final List<String> ALL_SIMULATIONS = List.of("ConnectionRamp", "MessageThroughput", "Endurance", "ChatBroadcast");

    /** The command line as picocli reads it; {@link #parse} turns it into the record. */
    @Command(name = "ci/run-suite.sh", sortOptions = false, usageHelpWidth = 110,
            description = {"Runs the wshunt simulations with as many server and injector processes as this machine's limits call for,",
                    "merges their logs into one Gatling report per simulation and writes summary.json and the run page.",
                    "-Dname=value reaches every simulation (see README) and wins over the load sized from the ceiling."})
    static final class Cli {
        @Option(names = "--users", converter = Numbers.class, defaultValue = "1000", description = "concurrent users in all (default ${DEFAULT-VALUE}; 50_000 works)")
        int users;
        @Option(names = "--simulations", split = ",", description = "which to run (default all: ConnectionRamp,MessageThroughput,Endurance,ChatBroadcast)")
        List<String> simulations = ALL_SIMULATIONS;
        @Option(names = "--servers", converter = Numbers.class, description = "server processes (default: from the open-files limit)")
        int servers;
        @Option(names = "--injectors", converter = Numbers.class, description = "Gatling injector processes (default: from the open-files limit and port range)")
        int injectors;
        @Option(names = "--redis", description = "Redis backplane for several servers (default: redis-server on loopback, else Docker)")
        String redis;
        @Option(names = "--out", description = "where reports, logs, summary.json and index.html go (default runs/<time>)")
        Path out = Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        @Option(names = "--history", defaultValue = "runs/history.jsonl", description = "JSON lines, one per run, for the page's trend (default ${DEFAULT-VALUE})")
        Path history;
        @Option(names = "--baseline", description = "a checked-in baseline (results/*.json): its table on the page, its values beside the trends")
        Path baseline;
        @Option(names = "--force", description = "run even when the preflight says a limit stands in the way")
        boolean force;
        @Option(names = "--preflight", description = "print the preflight table and the plan, then stop")
        boolean preflightOnly;
        @Option(names = "--no-ceiling", description = "skip the capacity probe that measures this machine's ceiling first")
        boolean noCeiling;
        @Option(names = "--no-warm-up", description = "time cold servers: skip the probe load that compiles their hot paths before each simulation")
        boolean noWarmUp;
        @Option(names = "--timeout-minutes", converter = Numbers.class, defaultValue = "15", description = "longest one simulation may run (default ${DEFAULT-VALUE})")
        int timeoutMinutes;
        @Option(names = "--classpath", hidden = true, defaultValue = "${sys:java.class.path}")
        String classpath;
        @Option(names = "--server-classpath", description = "classpath of the servers, e.g. another build's wshunt-server.jar (default --classpath)")
        String serverClasspath;
        @Option(names = "--server-args", defaultValue = "", description = "extra server flags, e.g. \"--compression true\"")
        String serverArgs;
        @Option(names = "--server-jvm-args", defaultValue = ServerCommand.DEFAULT_JVM_ARGS, description = "JVM flags of each server (default ${DEFAULT-VALUE})")
        String serverJvmArgs;
        @Option(names = "--injector-jvm-args", defaultValue = InjectorFleet.DEFAULT_JVM_ARGS, description = "JVM flags of each injector (default ${DEFAULT-VALUE})")
        String injectorJvmArgs;
        @Option(names = "--target", paramLabel = "ws://host:port", description = "drive a server already running, of any stack, instead of starting "
                + "wshunt's: -Dprofile says what it speaks; no ceiling, no server counters (they read \"not counted\"); its CPU read from its process when it runs here")
        String target = "";
        @Option(names = "--find-limit", description = "instead of the simulations: step each path's rate up (connects, acked and fire-and-forget "
                + "messages, chat deliveries), with the users connected, to the first rate that breaks (loss, errors, p99 over the SLO, under 95%% of offered), "
                + "and name what limited it")
        boolean findLimit;
        @Option(names = "--profile", paramLabel = "seed", description = "a load profile instead of the default simulations: seed runs the blog's "
                + "three tests this project comes from (ramp to --users connections, a 750,000-message burst over them, 60 s sustained), each shown "
                + "beside the blog's figure and this run's ceiling. Not -Dprofile, which names the protocol")
        String loadProfile;
        @Option(names = "--find-limit-paths", split = ",", description = "the paths the limit finder climbs (default connect,ack,fire,chat; "
                + "against a --target, those its profile has, fire never: the runner does not read its counters)")
        List<String> findLimitPaths;
        @Option(names = "--find-limit-minutes", converter = Numbers.class, defaultValue = "20", description = "longest the limit finder may take (default ${DEFAULT-VALUE})")
        int findLimitMinutes;
        @Option(names = "--slo-ack-ms", converter = Numbers.class, defaultValue = "1000", description = "the limit finder's p99 of an acked round trip (default ${DEFAULT-VALUE})")
        int sloAckMillis;
        @Option(names = "--slo-connect-ms", converter = Numbers.class, defaultValue = "2000", description = "the limit finder's p99 of a connect (the upgrade; a failed welcome fails the step) (default ${DEFAULT-VALUE})")
        int sloConnectMillis;
        @Option(names = "--slo-delivery-ms", converter = Numbers.class, defaultValue = "1000", description = "the limit finder's p99 of a chat message's "
                + "echo to its sender (default ${DEFAULT-VALUE})")
        int sloDeliveryMillis;
        @Option(names = "-D", paramLabel = "name=value", description = "a simulation setting, e.g. -DchatSenders=20")
        Map<String, String> properties = new LinkedHashMap<>();
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        boolean help;
    }

    static String help() {
        return new CommandLine(new Cli()).getUsageMessage();
    }

    /** Reads the command line; an unknown option or a bad value is an IllegalArgumentException that names it. */
    static RunnerOptions parse(String[] args) {
        Cli cli = new Cli();
        try {
            new CommandLine(cli).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (try --help)");
        }
        for (String name : cli.simulations) {
            if (!ALL_SIMULATIONS.contains(name.trim())) {
                throw new IllegalArgumentException("unknown simulation " + name + "; choose from " + ALL_SIMULATIONS);
            }
        }
        for (SimulationSetting setting : WHOLE_NUMBER_SETTINGS) {
            setting.intFrom(cli.properties); // a clear error naming the setting
        }
        if (!cli.target.isEmpty() && !cli.target.matches("wss?://[^/]+")) {
            throw new IllegalArgumentException("--target must look like ws://host:port, not '" + cli.target + "'");
        }
        String profile = cli.properties.getOrDefault(PROFILE.key(), PROFILE.defaultValue());
        if (cli.target.isEmpty() && SimulationSetting.needsTarget(profile)) {
            throw new IllegalArgumentException("-Dprofile=" + profile + " needs --target: the servers the runner starts speak only the wshunt profile");
        }
        List<String> askedPaths = cli.findLimitPaths == null ? null : cli.findLimitPaths.stream().map(String::trim).toList();
        for (String path : askedPaths == null ? List.<String>of() : askedPaths) {
            if (!FinderPaths.ALL.contains(path)) {
                throw new IllegalArgumentException("unknown path " + path + " for --find-limit-paths; choose from " + FinderPaths.ALL);
            }
        }
        // Not asked for: every path, against a server of the user's those its profile lets the finder climb.
        List<String> findLimitPaths = askedPaths != null ? FinderPaths.ALL.stream().filter(askedPaths::contains).toList()
                : cli.target.isEmpty() ? FinderPaths.ALL
                : FinderPaths.ALL.stream().filter(path -> FinderPaths.notClimbable(path, Profile.load(profile)).isEmpty()).toList();
        boolean seed = cli.loadProfile != null;
        if (seed && !cli.loadProfile.equals(SeedScenario.NAME)) {
            throw new IllegalArgumentException("unknown --profile " + cli.loadProfile + "; the one there is: " + SeedScenario.NAME);
        }
        // picocli leaves the default list in place unless --simulations was given: the same object means not given.
        if (seed && (cli.findLimit || cli.simulations != ALL_SIMULATIONS)) {
            throw new IllegalArgumentException("--profile seed chooses its own simulations " + SeedScenario.SIMULATIONS + ": not with "
                    + (cli.findLimit ? "--find-limit" : "--simulations"));
        }
        List<String> simulations = seed ? SeedScenario.SIMULATIONS : cli.simulations.stream().map(String::trim).toList();
        if (cli.baseline != null && !java.nio.file.Files.isRegularFile(cli.baseline)) {
            throw new IllegalArgumentException("--baseline " + cli.baseline + " is not a file");
        }
        // The limit finder's JVMs record where their CPU goes, to show it at the knee.
        String recording = cli.findLimit ? " " + FlightRecordings.jvmFlag(FinderPaths.flightDir(cli.out.toAbsolutePath())) : "";
        return new RunnerOptions(cli.users, simulations, cli.servers, cli.injectors, cli.redis,
                cli.force, cli.preflightOnly, !cli.noCeiling, !cli.noWarmUp, cli.out.toAbsolutePath(), cli.history.toAbsolutePath(), cli.baseline,
                cli.classpath, cli.serverClasspath == null ? cli.classpath : cli.serverClasspath, cli.serverArgs.trim(), cli.serverJvmArgs + recording,
                cli.injectorJvmArgs + recording, Duration.ofMinutes(cli.timeoutMinutes), Map.copyOf(cli.properties), cli.target,
                cli.findLimit, seed, findLimitPaths,
                Duration.ofMinutes(cli.findLimitMinutes), cli.sloAckMillis, cli.sloConnectMillis, cli.sloDeliveryMillis);
    }

    /** A server the user started: the runner starts none. */
    boolean drivesTarget() {
        return !target.isEmpty();
    }

    ServerLaunch serverLaunch() {
        return new ServerLaunch(serverClasspath, serverJvmArgs, serverArgs, "");
    }
}
