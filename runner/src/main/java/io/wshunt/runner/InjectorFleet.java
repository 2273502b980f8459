package io.wshunt.runner;

import static io.wshunt.contract.SimulationSetting.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import io.wshunt.contract.JavaCommand;
import io.wshunt.preflight.RunPlan;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;

/**
 * M Gatling JVMs running one simulation together, each with its share of the users, its own
 * loopback address and range of user ids, writing a log but no report (the runner merges the logs).
 */
final class InjectorFleet {
    /**
     * Flags the Gatling Maven plugin gives the JVMs it forks (Gatling needs them outside Maven too),
     * and io_uring's ring size as the simulations' pom sets it: with Netty's 4,096 entries an
     * injector's completion queue overflowed and it sent 82,847-102,092 frames/s, with 16,384
     * 95,510-146,664 in the same rounds.
     */
    static final List<String> GATLING_JVM_FLAGS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12", "-Dio.netty.iouring.ringSize=16384");

    /**
     * How much longer than {@code enduranceSeconds} the injectors keep the pace. The rate judged is
     * the best {@code enduranceSeconds} in the servers' one-second samples; a load exactly that long
     * leaves no whole window of samples inside it.
     */
    static final int PACED_MARGIN_SECONDS = 5;
    /** Gatling's exit code when a simulation ran through and its assertions failed. */
    static final int GATLING_ASSERTIONS_FAILED = 2;

    /** One injector process and where it writes. */
    record Injector(int index, Process process, Path dir) {
        Optional<Path> simulationLog() throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(path -> path.getFileName().toString().equals("simulation.log")).findFirst();
            }
        }

        Path accountingFile(String simulation) {
            return dir.resolve(simulation + "-accounting.json");
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
        int chatSenders = load.intProperty(CHAT_SENDERS);
        int chatMessages = load.intProperty(CHAT_MESSAGES_PER_SENDER);
        List<Injector> started = new ArrayList<>();
        for (int i = 0; i < plan.injectors(); i++) {
            Path dir = simulationDir.resolve("injector-" + (i + 1));
            Map<String, String> properties = new LinkedHashMap<>(load.properties());
            properties.put(USERS.key(), String.valueOf(plan.usersOfInjector(i)));
            properties.put(USER_ID_OFFSET.key(), String.valueOf(plan.userIdOffset(i)));
            properties.put(TARGET.key(), targets.webSockets().get(i));
            properties.put(CLUSTER_STATS_URLS.key(), targets.statsUrls());
            properties.put(CLUSTER_USERS.key(), String.valueOf(plan.users()));
            properties.put(CHAT_SENDERS.key(), String.valueOf(share(chatSenders, plan.injectors(), i)));
            properties.put(CLUSTER_CHAT_SENDERS.key(), String.valueOf(chatSenders));
            properties.put(CHAT_SENDER_OFFSET.key(), String.valueOf(sharesBefore(chatSenders, plan.injectors(), i)));
            properties.put(CLUSTER_CHAT_MESSAGES.key(), String.valueOf((long) chatSenders * chatMessages));
            // Loss is judged over all injectors together, by the runner.
            properties.put(FAIL_ON_LOSS.key(), "false");
            properties.put(COUNTERS_DIR.key(), dir.toString());
            // Each injector ramps its share at its share of the rate: together they ramp at the rate asked.
            properties.put(CONNECT_RATE.key(), String.valueOf(Math.max(1, share(load.intProperty(CONNECT_RATE), plan.injectors(), i))));
            properties.put(ENDURANCE_RATE.key(), String.valueOf(Math.max(1, share(load.intProperty(ENDURANCE_RATE), plan.injectors(), i))));
            properties.put(ENDURANCE_SECONDS.key(), String.valueOf(load.intProperty(ENDURANCE_SECONDS) + PACED_MARGIN_SECONDS));

            List<String> command = new ArrayList<>();
            command.addAll(JavaCommand.launcher());
            command.addAll(Arrays.asList(options.injectorJvmArgs().split("\\s+")));
            command.addAll(GATLING_JVM_FLAGS);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-cp", options.classpath(), "io.gatling.app.Gatling",
                    "-s", "io.wshunt.simulations." + simulation, "-rf", dir.toString(), "-nr", "-l", "wshunt"));
            started.add(new Injector(i + 1, children.start(command, dir.resolve("gatling.log")), dir));
        }
        return new InjectorFleet(List.copyOf(started));
    }

    /** An even split of {@code total} over {@code parts}, the first ones taking the remainder. */
    static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    /** How many of {@code total} the parts before {@code index} take, in {@link #share}'s split. */
    static int sharesBefore(int total, int parts, int index) {
        int before = 0;
        for (int i = 0; i < index; i++) {
            before += share(total, parts, i);
        }
        return before;
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
