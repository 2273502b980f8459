package io.wshunt.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.process.ServerFleet;

/**
 * Runs the capacity probe's phases against freshly started servers before the injectors start, so
 * that a simulation times compiled code. In a 100,000-user MessageThroughput the servers' JIT
 * compilers took a tenth of the machine while the users sent (perf), and a fresh server's first
 * thousands of connects pay for compiling its upgrade path. The runner counts a simulation's
 * figures from the servers' counters after the warm-up.
 */
final class ServerWarmUp {
    /** 200 connections, 16 in flight each, one second per phase: tens of thousands of calls of every hot method. */
    private static final CapacityProbe.Settings SETTINGS = new CapacityProbe.Settings(200, 16, Duration.ofMillis(500), Duration.ofSeconds(1), 1,
            Duration.ofSeconds(10));
    private static final Duration SETTLE = Duration.ofSeconds(10);

    /** What the warm-up measured on the whole fleet, and how long it took. */
    record Result(int servers, List<CapacityProbe.Phase> phases, double seconds) {
        String describe() {
            StringBuilder out = new StringBuilder(String.format("Warmed %d server(s) in %.1f s:", servers, seconds));
            for (CapacityProbe.Phase phase : phases) {
                out.append(String.format(" %s %,.0f/s;", phase.name(), phase.rate()));
            }
            return out.append(problems().isEmpty() ? " nothing lost" : " " + String.join("; ", problems())).toString();
        }

        /** A warm-up that lost or failed anything: the servers are not fit to be measured. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            for (CapacityProbe.Phase phase : phases) {
                if (!phase.clean()) {
                    problems.add(String.format("the warm-up's %s phase lost %,d, duplicated %,d and failed to send %,d", phase.name(),
                            phase.lost(), phase.duplicated(), phase.sendFailures()));
                }
            }
            return problems;
        }
    }

    private ServerWarmUp() {
    }

    /** Fails when the servers do not let go of the warm-up's connections. */
    static Result warm(ServerFleet fleet) throws Exception {
        int servers = fleet.servers().size();
        long started = System.nanoTime();
        List<CapacityProbe.Phase> phases = new ArrayList<>();
        try (CapacityProbe probe = CapacityProbe.of(fleet, SETTINGS)) {
            probe.connect();
            phases.addAll(probe.run(List.of("fire", "ack", "broadcast")));
            // One round, spread over the servers sharing the port: each gets about the probe's round
            // of connects, which is when its connect rate settles; more rounds cost a minute at six servers.
            phases.add(probe.connectRate(CapacityProbe.CONNECTS * servers));
        }
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long open;
        while ((open = ServerFleet.sum(fleet.stats(), "connections")) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (open > 0) {
            throw new IllegalStateException(String.format("the servers still hold %,d of the warm-up's connections after %d s", open, SETTLE.toSeconds()));
        }
        return new Result(servers, phases, (System.nanoTime() - started) / 1e9);
    }
}
