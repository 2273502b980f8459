package io.wshunt.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        Path outDir,
        Path historyFile,
        Path baselineFile,
        String classpath,
        String serverClasspath,
        String serverArgs,
        String serverJvmArgs,
        String injectorJvmArgs,
        Duration timeoutPerSimulation,
        Map<String, String> simulationProperties) {

    static final List<String> ALL_SIMULATIONS = List.of("ConnectionRamp", "MessageThroughput", "Endurance", "ChatBroadcast");

    static String help() {
        return """
                Usage: ci/run-suite.sh [options] [-Dproperty=value ...]

                Runs the wshunt simulations with as many server and injector processes as this
                machine's limits call for, merges their logs into one Gatling report per simulation
                and writes summary.json. -D properties reach every simulation (see README).

                  --users N               concurrent users in all (default 1000)
                  --simulations A,B       which to run (default ConnectionRamp,MessageThroughput,Endurance,ChatBroadcast)
                  --servers N             server processes (default: from the open-files limit)
                  --injectors N           Gatling injector processes (default: from the open-files limit and port range)
                  --redis URI             Redis backplane for several servers (default: start redis-server on loopback)
                  --out DIR               where reports, logs, summary.json and the run page index.html go (default runs/<time>)
                  --history FILE          JSON lines, one per run, for the run page's trend chart (default runs/history.jsonl)
                  --baseline FILE         a checked-in baseline (results/*.json) to draw beside the trends
                  --force                 run even when the preflight says a limit stands in the way
                  --preflight             print the preflight table and the plan, then stop
                  --no-ceiling            skip the capacity probe that measures this machine's ceiling first
                  --timeout-minutes N     longest one simulation may run (default 15)
                  --server-classpath CP   classpath of the servers, e.g. another build's wshunt-server.jar (default --classpath)
                  --server-args "..."     extra server flags, e.g. "--compression true"
                  --server-jvm-args "..." JVM flags of each server (default -Xms256m -Xmx1g -XX:+UseParallelGC)
                  --injector-jvm-args "..." JVM flags of each injector (default -Xms512m -Xmx2g -XX:+UseParallelGC)
                  --help                  this text
                """;
    }

    static RunnerOptions parse(String[] args) {
        int users = 1000;
        List<String> simulations = ALL_SIMULATIONS;
        int servers = 0;
        int injectors = 0;
        String redis = null;
        boolean force = false;
        boolean preflightOnly = false;
        boolean ceiling = true;
        Path out = Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path history = Path.of("runs", "history.jsonl");
        Path baseline = null;
        String classpath = System.getProperty("java.class.path");
        String serverClasspath = null;
        String serverArgs = "";
        String serverJvm = ServerLaunch.DEFAULT_JVM_ARGS;
        String injectorJvm = "-Xms512m -Xmx2g -XX:+UseParallelGC";
        Duration timeout = Duration.ofMinutes(15);
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-D") && arg.contains("=")) {
                properties.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                continue;
            }
            switch (arg) {
                case "--force" -> force = true;
                case "--preflight" -> preflightOnly = true;
                case "--no-ceiling" -> ceiling = false;
                case "--users" -> users = positive(arg, value(args, ++i, arg));
                case "--simulations" -> simulations = simulations(value(args, ++i, arg));
                case "--servers" -> servers = positive(arg, value(args, ++i, arg));
                case "--injectors" -> injectors = positive(arg, value(args, ++i, arg));
                case "--redis" -> redis = value(args, ++i, arg);
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--history" -> history = Path.of(value(args, ++i, arg));
                case "--baseline" -> baseline = Path.of(value(args, ++i, arg));
                case "--classpath" -> classpath = value(args, ++i, arg);
                case "--server-classpath" -> serverClasspath = value(args, ++i, arg);
                case "--server-args" -> serverArgs = value(args, ++i, arg);
                case "--server-jvm-args" -> serverJvm = value(args, ++i, arg);
                case "--injector-jvm-args" -> injectorJvm = value(args, ++i, arg);
                case "--timeout-minutes" -> timeout = Duration.ofMinutes(positive(arg, value(args, ++i, arg)));
                default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
        }
        if (baseline != null && !java.nio.file.Files.isRegularFile(baseline)) {
            throw new IllegalArgumentException("--baseline " + baseline + " is not a file");
        }
        return new RunnerOptions(users, simulations, servers, injectors, redis, force, preflightOnly, ceiling, out.toAbsolutePath(), history.toAbsolutePath(), baseline,
                classpath, serverClasspath == null ? classpath : serverClasspath, serverArgs.trim(), serverJvm, injectorJvm,
                timeout, Map.copyOf(properties));
    }

    private static List<String> simulations(String list) {
        List<String> names = Arrays.stream(list.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
        for (String name : names) {
            if (!ALL_SIMULATIONS.contains(name)) {
                throw new IllegalArgumentException("unknown simulation " + name + "; choose from " + ALL_SIMULATIONS);
            }
        }
        return names;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value.replace("_", ""));
            if (number > 0) return number;
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(option + " takes a whole number above 0, not '" + value + "'");
    }

    ServerLaunch serverLaunch() {
        return new ServerLaunch(serverClasspath, serverJvmArgs, serverArgs, "");
    }
}
