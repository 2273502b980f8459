package io.wshunt.runner.limit;

import java.util.List;
import java.util.Map;

/**
 * What limited a path, taken from what was measured during its first broken step: a kernel or
 * process limit named in the errors, Redis at the limit of its one command thread, CPU of a
 * saturated machine (the servers' or the injectors' when one took clearly more, else both), a
 * broadcast's fan-out as long as the p99 that broke, else the SLO alone.
 */
public record Bottleneck(String limitedBy, String why) {
    /** The machine counts as saturated from this share of all its cores busy (all processes and the kernel). */
    static final double SATURATED = 0.85;
    /** One side is named only when it took this many times the other's CPU. */
    static final double DOMINANT = 1.25;
    /** Redis runs its commands on one thread: from this share of one core it is the backplane's limit, whatever the rest of the machine does. */
    static final double REDIS_SATURATED = 90;
    /**
     * The fan-out is the cause of a p99 that broke once a broadcast took the servers at least this
     * share of it to write to every user: the users at the end of a pass wait that long at any rate.
     */
    static final double FAN_OUT_SHARE = 0.5;
    static final String FAN_OUT = "fan_out";
    /** Error texts of a limit the kernel or the process set, and the name given to it. */
    private static final List<Map.Entry<String, String>> LIMITS = List.of(
            Map.entry("Too many open files", "open files"),
            Map.entry("Cannot assign requested address", "ephemeral ports"),
            Map.entry("Connection refused", "the accept backlog (connections refused)"),
            Map.entry("Connection reset", "the accept backlog (connections reset)"));

    /** Whether a lower rate would break the same way: a broadcast's fan-out takes as long at any rate, so no finer step below it is worth its time. */
    boolean atAnyRate() {
        return limitedBy.equals(FAN_OUT);
    }

    static Bottleneck of(Step broken, int cpus, List<String> broke) {
        for (Map.Entry<String, String> limit : LIMITS) {
            long count = broken.errors().entrySet().stream().filter(error -> error.getKey().contains(limit.getKey())).mapToLong(Map.Entry::getValue).sum();
            if (count > 0) {
                return new Bottleneck("kernel_limit", String.format("%s: %,d errors \"%s\"", limit.getValue(), count, limit.getKey()));
            }
        }
        if (broken.redisCpuPercent() >= REDIS_SATURATED) {
            return new Bottleneck("redis", String.format("Redis took %.0f%% of a core, and it runs its commands on one thread: every chat message "
                    + "published to it and sent on to each server waits on it", broken.redisCpuPercent()));
        }
        double server = broken.serverCpuPercent();
        double injector = broken.injectorCpuPercent();
        double machine = Double.isNaN(broken.machineCpuPercent()) ? server + injector : broken.machineCpuPercent();
        boolean redisSampled = !Double.isNaN(broken.redisCpuPercent());
        if (!Double.isNaN(server) && !Double.isNaN(injector) && machine >= SATURATED * cpus * 100) {
            String busy = String.format("the %d cores were %.0f%% busy: servers %.0f%%, injectors %.0f%%, %sthe rest %.0f%% (the kernel's loopback "
                    + "work, the runner; 100%% = one core)", cpus, machine / cpus, server, injector,
                    redisSampled ? String.format("Redis %.0f%%, ", broken.redisCpuPercent()) : "",
                    Math.max(0, machine - server - injector - (redisSampled ? broken.redisCpuPercent() : 0)))
                    + (Double.isNaN(broken.fanOutMillis()) ? "" : String.format("; a broadcast took the servers %,.0f ms to write to every user of a lane",
                    broken.fanOutMillis()));
            if (Math.max(server, injector) < DOMINANT * Math.min(server, injector)) {
                return new Bottleneck("machine_cpu", busy + "; servers and injectors share the saturated cores: run them on machines of their own to tell which");
            }
            return server > injector ? new Bottleneck("server_cpu", busy) : new Bottleneck("injector_cpu", busy);
        }
        String spare = Double.isNaN(server) ? "" : String.format(" with CPU to spare: the %d cores were %.0f%% busy (servers %.0f%%, injectors %.0f%%)",
                cpus, machine / cpus, server, injector);
        boolean p99Broke = broke.stream().anyMatch(reason -> reason.startsWith("p99"));
        if (p99Broke && broken.fanOutMillis() >= FAN_OUT_SHARE * broken.p99Millis()) {
            return new Bottleneck(FAN_OUT, String.format("%s%s: a broadcast took the servers %,.0f ms on average from having it to having written it "
                    + "to every user of a delivery lane, so the users at the end of that pass wait about as long at any rate",
                    String.join("; ", broke), spare, broken.fanOutMillis()));
        }
        return new Bottleneck("slo", String.join("; ", broke) + spare);
    }
}
