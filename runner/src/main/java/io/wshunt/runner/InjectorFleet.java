package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import io.wshunt.contract.JavaCommand;
import io.wshunt.preflight.RunPlan;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;

/**
 * M Gatling JVMs running one simulation together, each with its share of the users, its own
 * loopback address and range of user ids, writing a log but no report (the runner merges the logs).
 */
final class InjectorFleet {
    /** Each injector JVM's heap and collector, unless --injector-jvm-args says otherwise (the injector image has the same). */
    static final String DEFAULT_JVM_ARGS = "-Xms512m -Xmx2g -XX:+UseParallelGC";
    /**
     * The same for a ConnectionRamp, unless --injector-jvm-args says otherwise: a young generation
     * that holds a timed ramp's garbage, emptied after the warm-up ({@link InjectorMain#warmUp}),
     * where four injectors ramping 50,000 users paused for 1.9-2.3 s together mid-ramp; metaspace
     * sized for Gatling's classes, whose loading set off two full collections in each. Not for
     * the fire-and-forget burst: with these flags and that collection, the seed's burst read
     * 42,807-72,559 msg/s in 7 runs, against 93,058-109,862 without (2 runs, the same hour).
     */
    static final String RAMP_JVM_ARGS = "-Xms2g -Xmx2g -Xmn1200m -XX:+UseParallelGC -XX:MetaspaceSize=128m";

    /**
     * Flags the Gatling Maven plugin gives the JVMs it forks (Gatling needs them outside Maven too),
     * and io_uring's ring size as the simulations' pom sets it: with Netty's 4,096 entries an
     * injector's completion queue overflowed and it sent 82,847-102,092 frames/s, with 16,384
     * 95,510-146,664 in the same rounds.
     */
    static final List<String> GATLING_JVM_FLAGS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12", "-Dio.netty.iouring.ringSize=16384");

    /** Gatling's exit code when a simulation ran through and its assertions failed. */
    static final int GATLING_ASSERTIONS_FAILED = 2;

    /** One injector process and where it writes. */
    record Injector(int index, Process process, Path dir) {
        /** What it wrote. */
        InjectorResults results() {
            return new InjectorResults(index, dir);
        }
    }

    private final List<Injector> injectors;

    private InjectorFleet(List<Injector> injectors) {
        this.injectors = injectors;
    }

    /** The servers an injector drives: injector i connects to {@code webSockets.get(i)}; {@code statsUrls} (may be empty) are the servers' counters. */
    record Targets(List<String> webSockets, String statsUrls) {
        /** The runner's own servers: each injector on its own loopback address, one port. */
        static Targets of(ServerFleet servers, RunPlan plan) {
            return new Targets(plan.injectorAddresses().stream().map(address -> "ws://" + address + ":" + servers.port()).toList(), servers.statsUrls());
        }
    }

    static InjectorFleet start(ChildProcesses children, RunnerOptions options, LoadSizing load, RunPlan plan, String simulation,
                               Targets targets, Path simulationDir) throws IOException {
        List<Injector> started = new ArrayList<>();
        for (int i = 0; i < plan.injectors(); i++) {
            // What a pod or a compose service would be given: see InjectorMain.
            Map<String, String> env = new LinkedHashMap<>();
            env.put(InjectorMain.SIMULATION, simulation);
            env.put(InjectorMain.INDEX, String.valueOf(i));
            env.put(InjectorMain.COUNT, String.valueOf(plan.injectors()));
            env.put(InjectorMain.USERS, String.valueOf(plan.users()));
            env.put(InjectorMain.TARGETS, String.join(",", targets.webSockets()));
            env.put(InjectorMain.STATS, targets.statsUrls());
            env.put(InjectorMain.RESULTS, simulationDir.toString());
            env.put(InjectorMain.START_LINE, simulationDir.resolve("start-line").toString());
            env.put(InjectorMain.SETTINGS, load.properties().entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                    .collect(Collectors.joining(" ")));
            Path dir = InjectorMain.folder(simulationDir, i);

            List<String> command = new ArrayList<>();
            command.addAll(JavaCommand.launcher());
            command.addAll(Arrays.asList(jvmArgs(options.injectorJvmArgs(), simulation).split("\\s+")));
            command.addAll(GATLING_JVM_FLAGS);
            command.addAll(List.of("-cp", options.classpath(), InjectorMain.class.getName()));
            started.add(new Injector(i + 1, children.start(command, env, dir.resolve("gatling.log")), dir));
        }
        return new InjectorFleet(List.copyOf(started));
    }

    /** The flags an injector of {@code simulation} starts with: a ramp's where the run kept the default ones. */
    static String jvmArgs(String given, String simulation) {
        return InjectorMain.Injection.ramps(simulation) && given.startsWith(DEFAULT_JVM_ARGS) ? RAMP_JVM_ARGS + given.substring(DEFAULT_JVM_ARGS.length()) : given;
    }

    List<Injector> injectors() {
        return injectors;
    }

    long running() {
        return injectors.stream().filter(injector -> injector.process().isAlive()).count();
    }

    /**
     * What an injector's exit code says is wrong, if anything. Failed assertions (Gatling's 2) are
     * not: they were judged over this injector's share of the users, and the merged report judges
     * them again over all of them, which is the run's verdict. A p99 of one share can be above the
     * p99 of the whole.
     */
    static Optional<String> exitProblem(int index, int exit, Path log) {
        if (exit == 0 || exit == GATLING_ASSERTIONS_FAILED) {
            return Optional.empty();
        }
        return Optional.of("injector-" + index + " exited with " + exit + " (see " + log + ")");
    }

    /** Each injector's exit code; -1 while it runs. */
    List<Integer> exitCodes() {
        return injectors.stream().map(injector -> injector.process().isAlive() ? -1 : injector.process().exitValue()).toList();
    }
}
