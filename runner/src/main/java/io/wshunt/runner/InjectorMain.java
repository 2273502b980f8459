package io.wshunt.runner;

import static io.wshunt.contract.SimulationSetting.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.wshunt.contract.InjectorShare;
import io.wshunt.contract.Json;
import io.wshunt.contract.SimulationSetting;

/**
 * How an injector starts, the same everywhere: as a process of the runner on this machine, in a
 * pod of a Kubernetes Indexed Job, or as a compose service. Everything it needs comes from its
 * environment; from it the injector works out its own share of the run and runs one Gatling
 * simulation in this JVM, writing its simulation.log and accounting JSON to its results folder.
 * <ul>
 * <li>{@value #SIMULATION}: ConnectionRamp, MessageThroughput, Endurance or ChatBroadcast;</li>
 * <li>{@value #INDEX} (from 0, or {@value #CLAIM}), else Kubernetes' {@value #JOB_INDEX}; {@value #COUNT}: how many injectors share the run;</li>
 * <li>{@value #USERS}: users over every injector;</li>
 * <li>{@value #TARGETS}: the servers' WebSocket addresses, comma-separated; injector i drives the (i mod n)th;</li>
 * <li>{@value #STATS}: every server's /stats, comma-separated; empty for a server without counters, whose
 * injectors then wait for each other in {@value #RESULTS}/{@value #PEERS_FOLDER}, which they must share;</li>
 * <li>{@value #SERVERS} (optional): how many servers one host name in {@value #TARGETS} and {@value #STATS} stands for,
 * one per address it resolves to (a Compose service with replicas, a Kubernetes headless Service);</li>
 * <li>{@value #RESULTS}: the run's folder; this injector writes to injector-(i+1) in it;</li>
 * <li>{@value #START_LINE} (optional): a folder every injector of the run shares, where they wait for each
 * other after their warm-ups so that their timed loads start together ({@link StartLine});</li>
 * <li>{@value #SETTINGS}: the run's other simulation settings, {@code key=value} separated by white space
 * (rates and counts over every injector: each takes its share).</li>
 * </ul>
 */
public final class InjectorMain {
    static final String SIMULATION = "WSHUNT_SIMULATION";
    static final String INDEX = "WSHUNT_INJECTOR";
    static final String JOB_INDEX = "JOB_COMPLETION_INDEX";
    static final String COUNT = "WSHUNT_INJECTORS";
    static final String USERS = "WSHUNT_USERS";
    static final String TARGETS = "WSHUNT_TARGETS";
    static final String STATS = "WSHUNT_STATS_URLS";
    /** Where in {@value #RESULTS} injectors driving a server without counters wait for each other. */
    static final String PEERS_FOLDER = "peers";
    static final String SERVERS = "WSHUNT_SERVERS";
    static final String RESULTS = "WSHUNT_RESULTS";
    static final String START_LINE = "WSHUNT_START_LINE";
    static final String SETTINGS = "WSHUNT_SETTINGS";
    /** {@value #INDEX}={@value}: replicas that share one environment (compose) each take the first free folder. */
    static final String CLAIM = "claim";

    /**
     * How much longer than {@code enduranceSeconds} an injector keeps the pace. The rate judged is
     * the best {@code enduranceSeconds} in the servers' one-second samples; a load exactly that long
     * leaves no whole window of samples inside it.
     */
    static final int PACED_MARGIN_SECONDS = 5;
    /** How long an injector waits for the servers it was given to answer before it starts. */
    static final Duration SERVER_WAIT = Duration.ofMinutes(3);
    /** At most this long to make the young generation resident after the warm-up: about 4 s of CPU a GB here. */
    static final Duration YOUNG_TOUCH_WAIT = Duration.ofSeconds(30);
    /** How long an injector waits at the start line for the others: longer than a warm-up (30-70 s here). */
    static final Duration START_WAIT = Duration.ofMinutes(3);

    private InjectorMain() {
    }

    /** Where injector {@code index} (from 0) of a run writes, in the run's results folder. */
    static Path folder(Path results, int index) {
        return results.resolve("injector-" + (index + 1));
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Injection injection = Injection.of(env);
        injection.properties().forEach(System::setProperty);
        awaitServers(injection.properties().get(CLUSTER_STATS_URLS.key()), SERVER_WAIT);
        System.out.printf("wshunt injector %d of %d: %s, %s users of %s, results in %s%n", injection.share().index() + 1, injection.share().count(),
                injection.simulation(), injection.properties().get(SimulationSetting.USERS.key()), env.get(USERS), injection.dir());
        warmUp(injection);
        String startLine = env.getOrDefault(START_LINE, "");
        if (!startLine.isBlank() && injection.share().count() > 1) {
            awaitTheOthers(new StartLine(Path.of(startLine.trim()), injection.share().count()), injection.share());
        }
        io.gatling.app.Gatling.main(gatlingArgs(injection.simulation(), injection.dir(), "wshunt"));
    }

    private static void awaitTheOthers(StartLine line, InjectorShare share) {
        long started = System.nanoTime();
        int ready = line.arriveAndAwait(share.index(), START_WAIT);
        System.out.printf("wshunt injector %d of %d: %s after %.1f s at the start line%n", share.index() + 1, share.count(),
                ready >= share.count() ? "all ready" : "going with " + ready + " of " + share.count() + " ready",
                (System.nanoTime() - started) / 1e9);
    }

    /** One simulation of this project, its log in {@code dir}, no report (the runner merges the logs). */
    private static String[] gatlingArgs(String simulation, Path dir, String label) {
        return new String[] {"-s", "io.wshunt.simulations." + simulation, "-rf", dir.toString(), "-nr", "-l", label};
    }

    /**
     * Runs a small load in this JVM before the timed simulation, so that it times compiled code
     * ({@link Injection#warmUpProperties}). Four fresh injectors ramping 50,000 users at 2,000/s
     * offered connected 1,608/s with a connect p99 of 12.1 s; warmed with 5,000 users each, 1,903/s
     * at 1.3 s. The warm-up writes nothing into the results folder.
     */
    static void warmUp(Injection injection) {
        Map<String, String> warm = injection.warmUpProperties();
        if (warm.isEmpty()) {
            return;
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("wshunt-warm-up");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the injector's warm-up", e);
        }
        warm.put(COUNTERS_DIR.key(), dir.toString());
        Map<String, String> run = injection.properties();
        long started = System.nanoTime();
        int status;
        try {
            warm.forEach(System::setProperty);
            // fromArgs returns where main would exit the JVM: the timed simulation runs next in it.
            status = io.gatling.app.Gatling$.MODULE$.fromArgs(gatlingArgs(injection.warmUpSimulation(), dir, "warm-up"));
        } finally {
            warm.keySet().forEach(key -> {
                if (run.containsKey(key)) System.setProperty(key, run.get(key));
                else System.clearProperty(key);
            });
            delete(dir);
        }
        String collected = "";
        if (Injection.ramps(injection.simulation())) {
            // The warm-up's garbage, collected now: left in the young generation, its first collection
            // came 6-8 s into the timed ramp, 1.9-2.3 s in all four injectors at once (50,000 users here).
            long touched = YoungGeneration.touchUntilCollected(YOUNG_TOUCH_WAIT);
            System.gc();
            collected = String.format("; its garbage collected after %,d MB more to make the young generation resident", touched >> 20);
        }
        System.out.printf("wshunt injector %d of %d: warmed up with %s of %s users in %.1f s (Gatling's status %d%s)%n",
                injection.share().index() + 1, injection.share().count(), injection.warmUpSimulation(), warm.get(SimulationSetting.USERS.key()),
                (System.nanoTime() - started) / 1e9, status, collected);
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete the warm-up's folder " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Waits until every server's /stats answers, so that injectors started beside the servers (a
     * Job, compose services) do not count a server still starting as lost users. Bounded: a
     * server that never answers fails the injector with its address.
     */
    static void awaitServers(String statsUrls, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (String url : statsUrls == null ? new String[0] : statsUrls.split(",")) {
            if (url.isBlank()) continue;
            URI stats = URI.create(url.trim());
            while (Json.get(stats).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server at " + stats + " did not answer within " + within.toSeconds() + " s");
                }
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            }
        }
    }

    /** What one injector runs, read from its environment: the simulation, its share, its folder and its settings. */
    record Injection(String simulation, InjectorShare share, Path dir, Map<String, String> properties) {
        static final String CONNECTION_RAMP = "ConnectionRamp";
        /** Users per second each injector's warm-up offers: about what a warm injector beside its share of servers takes. */
        static final int WARM_UP_RATE = 800;
        /** At most this many users send a fire-and-forget warm-up: enough connections to spread the sends over. */
        static final int FIRE_WARM_UP_USERS = 1_000;
        /** Messages of a fire-and-forget warm-up: tens of thousands of calls of every method on the send path. */
        static final int FIRE_WARM_UP_MESSAGES = 100_000;
        static final int FIRE_WARM_UP_SECONDS = 10;

        /**
         * Whether this simulation is a timed ramp of connects (ConnectionRamp): its warm-up alone compiles
         * the connect path, and its injectors alone get a young generation that holds the ramp's garbage
         * ({@link InjectorFleet#jvmArgs}), emptied after the warm-up ({@link #warmUp}).
         */
        static boolean ramps(String simulation) {
            return simulation.equals(CONNECTION_RAMP);
        }

        /**
         * Whether the warm-up compiles this simulation's send path: a fire-and-forget burst or sustained
         * rate of the default profile's server, judged on its sends (cold, C2 still compiled Gatling's
         * send path 27-46 s into a 30 s window at 50,000 users). Not the limit finder's ladders, whose
         * low first rungs warm them.
         */
        private boolean firesBenchmarks() {
            return (simulation.equals("MessageThroughput") || simulation.equals("Endurance")) && MODE.from(properties).equals("fire")
                    && ENDURANCE_STEPS.from(properties).isBlank() && !SimulationSetting.needsTarget(PROFILE.from(properties));
        }

        /** What the warm-up runs: ConnectionRamp before a ramp, else the run's own simulation. */
        String warmUpSimulation() {
            return firesBenchmarks() ? simulation : CONNECTION_RAMP;
        }

        /**
         * The settings this injector warms up with, over the properties of the run; empty for no
         * warm-up. A ramp's warm-up connects the injector's own users to the run's servers, with ids
         * after every user of the run, and closes them as soon as all are connected. A fire-and-forget
         * warm-up sends {@value #FIRE_WARM_UP_MESSAGES} messages to a server started for it alone,
         * since the run's servers would count them as the run's. The others start cold rather than
         * spend 30-60 s each (the limit finder's four paths took 21.5 min at 50,000 users), slower
         * when judged on it ({@link LoadSizing#forSimulation}).
         */
        Map<String, String> warmUpProperties() {
            int users = Math.min(INJECTOR_WARM_UP.intFrom(properties), Integer.parseInt(properties.get(SimulationSetting.USERS.key())));
            boolean fires = firesBenchmarks();
            if (users <= 0 || !(fires || ramps(simulation))) {
                return new LinkedHashMap<>();
            }
            Map<String, String> warm = new LinkedHashMap<>();
            if (fires) {
                users = Math.min(users, FIRE_WARM_UP_USERS);
                warm.put(TARGET.key(), ""); // a server of its own, started and stopped by the warm-up
                warm.put(CLUSTER_STATS_URLS.key(), "");
                warm.put(USER_ID_OFFSET.key(), "0");
                warm.put(MESSAGES_PER_USER.key(), String.valueOf(FIRE_WARM_UP_MESSAGES / users));
                warm.put(ENDURANCE_RATE.key(), String.valueOf(FIRE_WARM_UP_MESSAGES / FIRE_WARM_UP_SECONDS));
                warm.put(ENDURANCE_SECONDS.key(), String.valueOf(FIRE_WARM_UP_SECONDS));
            } else {
                warm.put(USER_ID_OFFSET.key(), String.valueOf(Long.parseLong(properties.get(CLUSTER_USERS.key())) + (long) share.index() * users));
            }
            warm.put(SimulationSetting.USERS.key(), String.valueOf(users));
            warm.put(CLUSTER_USERS.key(), String.valueOf(users));
            warm.put(CONNECT_RATE.key(), String.valueOf(WARM_UP_RATE));
            warm.put(CONNECT_STEPS.key(), "");
            warm.put(BURST_SENDERS.key(), "0"); // the run's, chosen among more users than the warm-up's
            warm.put(HOLD_SECONDS.key(), "0");
            warm.put(PEERS_DIR.key(), "");
            warm.put(MAX_P99_MILLIS.key(), String.valueOf(Duration.ofSeconds(AWAIT_SECONDS.intFrom(properties)).toMillis()));
            return warm;
        }

        static Injection of(Map<String, String> env) {
            return of(env, ServerAddresses.DNS);
        }

        static Injection of(Map<String, String> env, ServerAddresses.Resolver resolver) {
            String simulation = required(env, SIMULATION);
            if (!RunnerOptions.ALL_SIMULATIONS.contains(simulation)) {
                throw new IllegalArgumentException(SIMULATION + "=" + simulation + " is none of " + RunnerOptions.ALL_SIMULATIONS);
            }
            String index = env.containsKey(INDEX) ? env.get(INDEX) : required(env, JOB_INDEX);
            int count = number(COUNT, required(env, COUNT));
            Path results = Path.of(required(env, RESULTS));
            InjectorShare share = new InjectorShare(index.trim().equals(CLAIM) ? claim(results, count) : number(INDEX, index), count);
            int users = number(USERS, required(env, USERS));
            List<String> targets = list(required(env, TARGETS));
            List<String> stats = list(env.getOrDefault(STATS, ""));
            if (env.containsKey(SERVERS)) {
                int servers = number(SERVERS, env.get(SERVERS));
                targets = ServerAddresses.expand(targets, servers, resolver, SERVER_WAIT);
                stats = ServerAddresses.expand(stats, servers, resolver, SERVER_WAIT);
            }
            Path dir = folder(results, share.index());

            Map<String, String> run = new LinkedHashMap<>();
            for (String pair : env.getOrDefault(SETTINGS, "").trim().split("\\s+")) {
                if (pair.isEmpty()) continue;
                int equals = pair.indexOf('=');
                String key = equals > 0 ? pair.substring(0, equals) : pair;
                if (equals < 1 || Arrays.stream(SimulationSetting.values()).noneMatch(setting -> setting.key().equals(key))) {
                    throw new IllegalArgumentException(SETTINGS + " takes key=value pairs of the simulations' settings, not '" + pair + "'");
                }
                run.put(key, pair.substring(equals + 1));
            }
            int chatSenders = CHAT_SENDERS.intFrom(run);
            int chatMessages = CHAT_MESSAGES_PER_SENDER.intFrom(run);

            Map<String, String> properties = new LinkedHashMap<>(run);
            properties.put(SimulationSetting.USERS.key(), String.valueOf(share.of(users)));
            properties.put(USER_ID_OFFSET.key(), String.valueOf(share.before(users)));
            properties.put(TARGET.key(), targets.get(share.index() % targets.size()));
            properties.put(CLUSTER_STATS_URLS.key(), String.join(",", stats));
            if (stats.isEmpty() && count > 1) {
                // A server without counters: the injectors wait for each other in the results folder they share.
                properties.put(PEERS_DIR.key(), results.resolve(PEERS_FOLDER).toString());
            }
            properties.put(CLUSTER_USERS.key(), String.valueOf(users));
            properties.put(CHAT_SENDERS.key(), String.valueOf(share.of(chatSenders)));
            properties.put(CLUSTER_CHAT_SENDERS.key(), String.valueOf(chatSenders));
            properties.put(CHAT_SENDER_OFFSET.key(), String.valueOf(share.before(chatSenders)));
            properties.put(CLUSTER_CHAT_MESSAGES.key(), String.valueOf((long) chatSenders * chatMessages));
            // Loss is judged over every injector together, by whoever merges their results.
            properties.put(FAIL_ON_LOSS.key(), "false");
            properties.put(COUNTERS_DIR.key(), dir.toString());
            // Each injector ramps its share at its share of the rate: together they ramp at the rate asked.
            properties.put(CONNECT_RATE.key(), String.valueOf(Math.max(1, share.of(CONNECT_RATE.intFrom(run)))));
            properties.put(ENDURANCE_RATE.key(), String.valueOf(Math.max(1, share.of(ENDURANCE_RATE.intFrom(run)))));
            properties.put(ENDURANCE_SECONDS.key(), String.valueOf(ENDURANCE_SECONDS.intFrom(run) + PACED_MARGIN_SECONDS));
            for (SimulationSetting steps : List.of(ENDURANCE_STEPS, CONNECT_STEPS, CHAT_STEPS)) {
                properties.put(steps.key(), steps.intsFrom(run.get(steps.key())).stream()
                        .map(rate -> String.valueOf(Math.max(1, share.of(rate)))).collect(Collectors.joining(",")));
            }
            return new Injection(simulation, share, dir, properties);
        }

        /**
         * The index of the first injector folder in the results that no other injector has taken,
         * taken by creating it: creating a directory either succeeds or finds it there, for one
         * process only, also on a volume several containers share.
         */
        static int claim(Path results, int count) {
            try {
                Files.createDirectories(results);
                for (int index = 0; index < count; index++) {
                    try {
                        Files.createDirectory(folder(results, index));
                        return index;
                    } catch (FileAlreadyExistsException taken) {
                        // another injector's
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot claim an injector folder in " + results, e);
            }
            throw new IllegalArgumentException("all " + count + " injector folders in " + results
                    + " are taken: results of an earlier run? Give each run an empty " + RESULTS);
        }

        private static List<String> list(String commaSeparated) {
            return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
        }

        private static String required(Map<String, String> env, String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the injector needs " + name + " in its environment");
            }
            return value.trim();
        }

        private static int number(String name, String value) {
            try {
                return Integer.parseInt(value.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a whole number, not '" + value + "'");
            }
        }
    }
}
