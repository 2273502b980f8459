package io.wshunt.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.runner.process.ListeningProcess;
import io.wshunt.runner.process.ServerFleet;

/**
 * Watches one simulation while its injectors run: samples every server's /stats and every
 * process's CPU and memory each second, prints a progress line every few seconds, names a server
 * that dies (which, when, its exit code, the users it held) and a Redis backplane that stops
 * answering, and stops the injectors at the time limit.
 */
final class RunMonitor {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    /** A live server silent on /stats this long is named as hung: a stopped process, a full stall. */
    private static final Duration HUNG_AFTER = Duration.ofSeconds(30);

    private final String simulation;
    private final int users;
    private final Duration timeout;
    private final long started;
    /** Connections each server held at its last answer, for the obituary of one that dies. */
    private final Map<String, Long> lastConnections = new HashMap<>();
    /** Each dead server's name and what is said of it, in the order they died. */
    private final Map<String, String> obituaries = new LinkedHashMap<>();
    /** When each server last answered /stats, and the servers already named as hung. */
    private final Map<String, Long> lastAnswered = new HashMap<>();
    private final Map<String, String> hung = new LinkedHashMap<>();
    /** The broadcast backplane of several servers; null for one server. */
    private final RedisWatch redis;
    /** The sampler's name of the run's Redis, when it runs on this machine. */
    static final String REDIS = "redis";
    /** The run's Redis process on this machine, sampled beside the servers: one thread runs its commands, so 100% of a core is its limit. */
    private final Optional<ListeningProcess> redisProcess;

    /** The servers' counters summed at one instant: CPU, bytes allocated and benchmark messages, and when. */
    record Sample(long cpuMillis, long allocatedBytes, long benchmarkMessages, long nanos) {
    }

    /** What the servers spent per benchmark message over one stretch of samples. */
    record MessageCost(double messagesPerCpuSecond, double bytesPerMessage) {
        static final MessageCost NONE = new MessageCost(0, Double.NaN);
    }

    RunMonitor(String simulation, int users, Duration timeout, long startedNanos, String redisUri) {
        this.redis = redisUri == null ? null : new RedisWatch(redisUri);
        this.redisProcess = redis == null ? Optional.empty() : redis.process();
        this.simulation = simulation;
        this.users = users;
        this.timeout = timeout;
        this.started = startedNanos;
    }

    /**
     * Watches until every injector is done, rates counted from the servers' summed counters at the
     * start, what arrived kept each second; returns the peak of connections summed over the servers.
     */
    long watch(ServerFleet servers, JsonNode countersAtStart, InjectorFleet injectors, ProcessSampler sampler, ServerCounts arrivals,
               SimulationOutcome.Builder outcome) throws InterruptedException {
        long peak = 0;
        // The counters hold the warm-up's messages: the first rates count from what they held at the start.
        long lastBenchmark = countersAtStart.path("benchmark_messages").asLong();
        long lastDeliveries = countersAtStart.path("deliveries").asLong();
        long lastPrint = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        while (injectors.running() > 0) {
            Thread.sleep(SAMPLE_EVERY.toMillis());
            List<Optional<JsonNode>> stats = servers.stats();
            long answering = stats.stream().filter(Optional::isPresent).count();
            long now = System.nanoTime();
            servers.servers().forEach(server -> sampler.sample(server.name(), server.process().pid()));
            redisProcess.ifPresent(process -> sampler.sample(REDIS, process.pid()));
            sampleInjectors(injectors, sampler);
            for (int i = 0; i < stats.size(); i++) {
                ServerFleet.Server server = servers.servers().get(i);
                stats.get(i).ifPresent(node -> lastConnections.put(server.name(), node.path("connections").asLong()));
                if (stats.get(i).isPresent()) {
                    lastAnswered.put(server.name(), now);
                } else if (server.process().isAlive() && !hung.containsKey(server.name())
                        && now - lastAnswered.getOrDefault(server.name(), started) > HUNG_AFTER.toNanos()) {
                    String silent = String.format("%s (pid %d) is alive but has not answered /stats for %d s, since %s: hung, holding %,d users",
                            server.name(), server.process().pid(), HUNG_AFTER.toSeconds(), clock(lastAnswered.getOrDefault(server.name(), started) - started),
                            lastConnections.getOrDefault(server.name(), 0L));
                    hung.put(server.name(), silent);
                    outcome.problem(silent);
                    System.out.printf("[%s %s] SERVER HUNG: %s%n", simulation, clock(now - started), silent);
                }
                if (!server.process().isAlive() && !obituaries.containsKey(server.name())) {
                    String obituary = String.format("%s (pid %d) died at %s with exit code %d, holding %,d users", server.name(),
                            server.process().pid(), clock(now - started), server.process().exitValue(), lastConnections.getOrDefault(server.name(), 0L));
                    obituaries.put(server.name(), obituary);
                    outcome.problem(obituary);
                    System.out.printf("[%s %s] SERVER DIED: %s%n", simulation, clock(now - started), obituary);
                }
            }
            if (redis != null && !redis.answers()) {
                String dead = String.format("Redis at %s stopped answering at %s, with %,d users connected: broadcasts no longer cross between the %d servers",
                        redis.uri(), clock(now - started), ServerFleet.sum(stats, "connections"), stats.size());
                outcome.problem(dead);
                System.out.printf("[%s %s] REDIS DOWN: %s%n", simulation, clock(now - started), dead);
                stopEarly(injectors, outcome, "the deliveries it carried cannot arrive");
                break;
            }
            // A hung server that then dies is in both maps: count the servers still serving instead.
            if (servers.servers().stream().noneMatch(server -> server.process().isAlive() && !hung.containsKey(server.name()))) {
                stopEarly(injectors, outcome, "no server is left to serve the users");
                break;
            }
            // Only a complete picture counts: a server too busy to answer would make the sums dip. A dead
            // server is not waited for when counting connections (its users are gone), but the CPU per
            // message needs every server's counters, so it stops being sampled.
            if (answering == stats.size() - obituaries.size()) {
                peak = Math.max(peak, ServerFleet.sum(stats, "connections"));
            }
            if (answering == stats.size()) {
                boolean allocationCounted = stats.stream().allMatch(answer -> answer.orElseThrow().path("allocated_bytes").isNumber());
                samples.add(new Sample(ServerFleet.sum(stats, "cpu_time_ms"), allocationCounted ? ServerFleet.sum(stats, "allocated_bytes") : -1,
                        ServerFleet.sum(stats, "benchmark_messages"), now));
                Map<String, Long> arrived = new HashMap<>();
                ServerCounts.COUNTERS.forEach(counter -> arrived.put(counter, ServerFleet.sum(stats, counter)));
                arrivals.add(System.currentTimeMillis(), arrived);
            }
            if (now - lastPrint >= PROGRESS_EVERY.toNanos()) {
                double seconds = (now - lastPrint) / 1e9;
                long benchmark = ServerFleet.sum(stats, "benchmark_messages");
                long deliveries = ServerFleet.sum(stats, "deliveries");
                System.out.printf("[%s %s] connected %,d/%,d | benchmark %,.0f msg/s | deliveries %,.0f/s | server errors %,d | injectors running %d/%d%s%s%n",
                        simulation, clock(now - started), ServerFleet.sum(stats, "connections"), users, Math.max(0, benchmark - lastBenchmark) / seconds,
                        Math.max(0, deliveries - lastDeliveries) / seconds, ServerFleet.sum(stats, "errors"), injectors.running(), injectors.injectors().size(),
                        answering < stats.size() ? " | " + (stats.size() - answering) + " server(s) not answering /stats" : "",
                        obituaries.isEmpty() ? "" : " | DEAD: " + String.join("; ", obituaries.values()));
                lastBenchmark = benchmark;
                lastDeliveries = deliveries;
                lastPrint = now;
            }
            if (stoppedAtTimeLimit(now, injectors, outcome)) {
                break;
            }
        }
        awaitInjectors(injectors, outcome);
        MessageCost cost = costPerMessage(samples);
        outcome.serverCost(cost.messagesPerCpuSecond(), cost.bytesPerMessage());
        if (outcome.sustainedWindowS() > 0) {
            outcome.sustainedRate(bestRateOver(samples, outcome.sustainedWindowS()));
        }
        return peak;
    }

    /**
     * Watches the injectors, for a server the runner did not start and cannot ask: their CPU and
     * memory each second, and the server's process when it runs on this machine (named
     * {@code server-<its name>}), a progress line every few seconds, and the time limit.
     */
    void watchInjectors(InjectorFleet injectors, Optional<ListeningProcess> server, ProcessSampler sampler, SimulationOutcome.Builder outcome)
            throws InterruptedException {
        long lastPrint = System.nanoTime();
        while (injectors.running() > 0) {
            Thread.sleep(SAMPLE_EVERY.toMillis());
            long now = System.nanoTime();
            sampleInjectors(injectors, sampler);
            server.ifPresent(process -> sampler.sample("server-" + process.name(), process.pid()));
            if (now - lastPrint >= PROGRESS_EVERY.toNanos()) {
                System.out.printf("[%s %s] injectors running %d/%d (the server's counters are not known)%n", simulation, clock(now - started),
                        injectors.running(), injectors.injectors().size());
                lastPrint = now;
            }
            if (stoppedAtTimeLimit(now, injectors, outcome)) {
                break;
            }
        }
        awaitInjectors(injectors, outcome);
    }

    private static void sampleInjectors(InjectorFleet injectors, ProcessSampler sampler) {
        injectors.injectors().forEach(injector -> sampler.sample("injector-" + injector.index(), injector.process().pid()));
        sampler.sampleMachine();
    }

    /** Stops the injectors once the simulation has run past its time limit; says whether it did. */
    private boolean stoppedAtTimeLimit(long now, InjectorFleet injectors, SimulationOutcome.Builder outcome) {
        if (now <= started + timeout.toNanos()) {
            return false;
        }
        outcome.problem("timed out after " + timeout.toMinutes() + " min; injectors stopped");
        injectors.injectors().forEach(injector -> injector.process().destroy());
        return true;
    }

    /** An injector told to stop gets half a minute to write its log, then is killed: no wait without end. */
    private static void awaitInjectors(InjectorFleet injectors, SimulationOutcome.Builder outcome) throws InterruptedException {
        for (InjectorFleet.Injector injector : injectors.injectors()) {
            if (!injector.process().waitFor(30, TimeUnit.SECONDS)) {
                outcome.problem("injector-" + injector.index() + " did not stop within 30 s of being told to and was killed");
                injector.process().descendants().forEach(ProcessHandle::destroyForcibly);
                injector.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Ends a simulation whose verdict is already failed, rather than letting its users wait for the time limit. */
    private void stopEarly(InjectorFleet injectors, SimulationOutcome.Builder outcome, String why) {
        String stopped = "injectors stopped at " + clock(System.nanoTime() - started) + ": " + why;
        outcome.problem(stopped);
        System.out.printf("[%s] %s%n", simulation, stopped);
        injectors.injectors().forEach(injector -> injector.process().destroy());
    }

    /**
     * The most benchmark messages per second the servers counted over any stretch of at least
     * {@code windowSeconds} between two samples: the rate held for that
     * long. A paced run's users start and stop a pace apart, so its rate over the whole send
     * window, edges included, is lower than the rate it held. 0 when the run was shorter.
     */
    static double bestRateOver(List<Sample> samples, double windowSeconds) {
        double best = 0;
        long windowNanos = (long) (windowSeconds * 1e9);
        int to = 0;
        for (int from = 0; from < samples.size(); from++) {
            while (to < samples.size() && samples.get(to).nanos() - samples.get(from).nanos() < windowNanos) to++;
            if (to == samples.size()) break;
            Sample start = samples.get(from);
            Sample end = samples.get(to);
            best = Math.max(best, (end.benchmarkMessages() - start.benchmarkMessages()) / ((end.nanos() - start.nanos()) / 1e9));
        }
        return best;
    }

    /**
     * Benchmark messages the servers counted per second of their CPU, and bytes they allocated per
     * message, over the samples from just before the first message to the first sample holding the
     * last one: what the server spends per message, whatever the injectors manage to send. Bytes
     * are NaN where a server does not count them.
     */
    static MessageCost costPerMessage(List<Sample> samples) {
        if (samples.size() < 2) return MessageCost.NONE;
        long first = samples.get(0).benchmarkMessages();
        long last = samples.get(samples.size() - 1).benchmarkMessages();
        int from = 0;
        while (from + 1 < samples.size() && samples.get(from + 1).benchmarkMessages() == first) from++;
        int to = from;
        while (to < samples.size() - 1 && samples.get(to).benchmarkMessages() < last) to++;
        Sample start = samples.get(from);
        Sample end = samples.get(to);
        long cpuMillis = end.cpuMillis() - start.cpuMillis();
        long messages = end.benchmarkMessages() - start.benchmarkMessages();
        double bytes = messages > 0 && start.allocatedBytes() >= 0 && end.allocatedBytes() >= 0
                ? (end.allocatedBytes() - start.allocatedBytes()) / (double) messages : Double.NaN;
        return new MessageCost(cpuMillis > 0 ? messages * 1000.0 / cpuMillis : 0, bytes);
    }

    static String clock(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
