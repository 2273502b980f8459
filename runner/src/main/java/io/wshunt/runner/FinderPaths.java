package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.wshunt.contract.Json;
import io.wshunt.contract.Profile;
import io.wshunt.contract.SimulationSetting;
import io.wshunt.report.InjectorAccounting;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.runner.limit.ConnectLadder;
import io.wshunt.runner.limit.LimitFinder;
import io.wshunt.runner.limit.Slo;
import io.wshunt.runner.limit.Step;
import io.wshunt.runner.probe.Ceiling;

/**
 * What the limit finder climbs on each path of the server, and how: the simulation a ladder runs,
 * the settings that make it climb, and where each step's figures are read.
 * <ul>
 * <li>connect: the users themselves connect up the ladder (ConnectionRamp), judged on the upgrade's p99 and on failed connects and welcomes;
 * <li>ack: acked messages with every user connected (Endurance), judged on the round trip;
 * <li>fire: fire-and-forget messages (Endurance), judged on what the servers counted;
 * <li>chat: chat messages, each delivered to every user (ChatBroadcast), judged on the deliveries
 *     the servers wrote, the ones they dropped, and the senders' echo.
 * </ul>
 * Against a server the runner did not start ({@code --target}), its counters are not read: fire is
 * not climbed, and chat deliveries are the ones the receivers counted, each second.
 */
final class FinderPaths {
    /** The paths the limit finder knows, in the order it climbs them. */
    static final List<String> ALL = List.of("connect", "ack", "fire", "chat");
    /** Chat senders of a chat ladder, at most: enough that each sender's gap is longer than its echo at the top. */
    static final int CHAT_SENDERS = 20;
    /** The fewest chat messages a step of the chat ladder holds: each is a burst of one delivery per user, and fewer would read as a rate of bursts. */
    static final int CHATS_PER_STEP = 10;

    /** Runs one simulation with the settings given into a folder of the run's output, its CPU and the servers' counts sampled meanwhile. */
    interface Simulations {
        SimulationOutcome run(String simulation, Map<String, String> settings, String folder, ProcessSampler sampler, ServerCounts arrivals)
                throws Exception;
    }

    private final RunnerOptions options;
    private final int users;
    private final int cpus;

    FinderPaths(RunnerOptions options, int users, int cpus) {
        this.options = options;
        this.users = users;
        this.cpus = cpus;
    }

    /** Where the limit finder's JVMs write their flight recordings, under a run's output folder. */
    static Path flightDir(Path outDir) {
        return outDir.resolve("find-limit").resolve("flight");
    }

    /** An empty folder for the recordings: a JVM cannot start recording into a folder that is not there, and an earlier run's pids may come again. */
    static void clearFlightDir(Path outDir) throws IOException {
        Path dir = flightDir(outDir);
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path recording : old.filter(file -> file.getFileName().toString().endsWith(".jfr")).toList()) {
                Files.delete(recording);
            }
        }
    }

    /** Each injector's {@code simulation.log} of a ladder: {@code injector-N/<simulation>-<time>/simulation.log}. */
    static List<Path> injectorLogs(Path dir) throws IOException {
        try (Stream<Path> found = Files.find(dir, 3, (file, attributes) -> file.getFileName().toString().equals("simulation.log")
                && dir.relativize(file).getName(0).toString().startsWith("injector-"))) {
            return found.sorted().toList();
        }
    }

    /** The broadcasts every injector's users received in each epoch second, summed: see {@link InjectorAccounting#DELIVERIES_BY_SECOND}. */
    static SortedMap<Long, Long> deliveriesBySecond(Path dir, String simulation) throws IOException {
        SortedMap<Long, Long> bySecond = new TreeMap<>();
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(folder -> folder.getFileName().toString().startsWith("injector-")).toList()) {
                Path accounting = InjectorAccounting.file(folder, simulation);
                if (!Files.exists(accounting)) continue; // named as missing in the ladder's outcome
                Json.MAPPER.readTree(accounting.toFile()).path(InjectorAccounting.DELIVERIES_BY_SECOND).fields()
                        .forEachRemaining(second -> bySecond.merge(Long.parseLong(second.getKey()), second.getValue().asLong(), Long::sum));
            }
        }
        return bySecond;
    }

    /** How a path's steps are read from its ladder's logs and the servers' counts. */
    private static StepLog.Reading reading(String path) {
        return switch (path) {
            case "connect" -> StepLog.Reading.CONNECTS;
            case "fire" -> StepLog.Reading.FIRE;
            case "chat" -> StepLog.Reading.CHAT;
            default -> StepLog.Reading.ACKS;
        };
    }

    /**
     * Why the finder cannot climb a path of a server the runner did not start, which speaks {@code
     * profile}; empty when it can.
     */
    static Optional<String> notClimbable(String path, Profile profile) {
        String why = switch (path) {
            case "fire" -> "fire-and-forget messages are counted where they arrive, by the server's counters, which the runner does not read "
                    + "from a --target (acked messages are counted by their acks: the ack path)";
            case "ack" -> profile.benchmark() == null || profile.benchmark().ack() == null ? "the " + profile.name() + " protocol has no acknowledgement" : null;
            case "chat" -> profile.chat() == null ? "the " + profile.name() + " protocol has no chat message" : null;
            default -> null;
        };
        return Optional.ofNullable(why);
    }

    /** A path as the finder climbs it: its unit, SLO, the probe's ceiling and the ladder's top. */
    LimitFinder.ServerPath path(String name, Ceiling ceiling) {
        String phase = name.equals("chat") ? "broadcast" : name;
        double ceilingPerS = ceiling == null ? Double.NaN : ceiling.phase(phase).map(measured -> measured.rate()).orElse(Double.NaN);
        return switch (name) {
            // The users alone set the top: the probe's connect figure (200 at a time, each waiting for the one
            // before) is no ceiling, and at 50,000 users every rung up to it held, 2 runs of 2.
            case "connect" -> new LimitFinder.ServerPath(name, "connects/s", new Slo(options.sloConnectMillis(), Slo.MIN_ACHIEVED_SHARE), ceilingPerS, cpus,
                    ConnectLadder.topPerS(users), String.format("the most %,d users can offer in steps of %d s or more (more users would climb higher)",
                    users, ConnectLadder.shortestStepSeconds(users)), 0);
            case "ack" -> new LimitFinder.ServerPath(name, "acked msg/s", new Slo(options.sloAckMillis(), Slo.MIN_ACHIEVED_SHARE), ceilingPerS, cpus);
            // Fire-and-forget has no latency: it is judged on what arrived and on errors.
            case "fire" -> new LimitFinder.ServerPath(name, "msg/s arrived", Slo.withoutLatency(), ceilingPerS, cpus);
            // Each chat message is one delivery to every user: a step needs a few of them to be judged, whole.
            case "chat" -> new LimitFinder.ServerPath(name, "deliveries/s", new Slo(options.sloDeliveryMillis(), Slo.MIN_ACHIEVED_SHARE), ceilingPerS, cpus)
                    .from((double) CHATS_PER_STEP * users / LimitFinder.STEP_SECONDS);
            default -> throw new IllegalArgumentException("no limit finder for path " + name + "; it knows " + ALL);
        };
    }

    /** One ladder of a path: its simulation run with every rate held for a step, and its steps read. */
    LimitFinder.LadderRun ladder(String path, String name, List<Integer> rates, Simulations simulations) throws Exception {
        String joined = rates.stream().map(String::valueOf).collect(Collectors.joining(","));
        int stepSeconds = path.equals("connect") ? ConnectLadder.stepSeconds(users, rates) : LimitFinder.STEP_SECONDS;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SimulationSetting.STEP_SECONDS.key(), String.valueOf(stepSeconds));
        String simulation;
        switch (path) {
            case "connect" -> {
                simulation = "ConnectionRamp";
                settings.put(SimulationSetting.CONNECT_STEPS.key(), joined);
            }
            case "chat" -> {
                simulation = "ChatBroadcast";
                int senders = Math.min(users, CHAT_SENDERS);
                // Room for every message the ladder may send: each user keeps what arrives between two looks.
                long messages = rates.stream().mapToLong(rate -> (long) rate * stepSeconds / users + 1).sum();
                settings.put(SimulationSetting.CHAT_STEPS.key(), joined);
                settings.put(SimulationSetting.CHAT_SENDERS.key(), String.valueOf(senders));
                settings.put(SimulationSetting.CHAT_MESSAGES_PER_SENDER.key(), String.valueOf(messages / senders + rates.size()));
            }
            default -> {
                simulation = "Endurance";
                settings.put(SimulationSetting.MODE.key(), path);
                settings.put(SimulationSetting.ENDURANCE_STEPS.key(), joined);
                settings.put(SimulationSetting.ENDURANCE_SECONDS.key(), String.valueOf(rates.size() * stepSeconds));
                settings.put(SimulationSetting.ENDURANCE_RATE.key(), String.valueOf(rates.get(rates.size() - 1)));
            }
        }
        String folder = "find-limit/" + name;
        Path dir = options.outDir().resolve(folder);
        ProcessSampler sampler = new ProcessSampler();
        ServerCounts arrivals = new ServerCounts();
        SimulationOutcome outcome = simulations.run(simulation, settings, folder, sampler, arrivals);
        if (options.drivesTarget()) {
            arrivals = ServerCounts.ofReceivers(deliveriesBySecond(dir, simulation));
        }
        // Recorded: the first server and the first injector (their JVMs wrote the recordings on exit).
        FlightRecordings flight = FlightRecordings.read(flightDir(options.outDir()), Map.of("server-1", sampler.pid("server-1"), "injector-1",
                sampler.pid("injector-1")));
        // A chat message arrives as one delivery to every user.
        List<Step> measured = StepLog.read(injectorLogs(dir), reading(path), arrivals, rates, stepSeconds, sampler, flight, path.equals("chat") ? users : 1);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("name", name);
        run.put("step_seconds", stepSeconds);
        run.put("report", options.outDir().relativize(dir.resolve("report").resolve("index.html")).toString());
        run.put("outcome", outcome.toMap());
        return new LimitFinder.LadderRun(measured, run);
    }
}
