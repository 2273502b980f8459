package io.wshunt.runner.limit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a ladder as it was measured: the rate offered, what the injectors sent and got
 * back over the judged seconds, what failed over the whole step, the p99, and the CPU the servers,
 * the injectors, Redis and the whole machine took meanwhile (100 = one core; NaN when not sampled).
 *
 * @param ok        answered over the judged seconds; for fire-and-forget, what the servers counted
 * @param p99Millis {@link #NOT_COUNTED} for a path without a latency
 * @param seconds   the judged part of the step: its second half, once every user keeps the new pace
 * @param errors    Gatling's error messages of the step, counted, for the cause
 * @param warmUp    a step that only warms a fresh injector JVM: shown, never judged
 * @param hottest   per recorded process (one server, one injector): its samples over the whole step, then its busiest methods
 * @param fanOutMillis how long a broadcast took on average from a server having it to having written it to every user of a
 *                  lane, over the whole step; NaN without broadcasts
 * @param arrival   what one arrival adds to {@code ok}: a broadcast adds one delivery per user, anything else 1
 */
public record Step(double offeredPerS, long sent, long ok, long failed, long p99Millis, double seconds,
                   double serverCpuPercent, double injectorCpuPercent, double machineCpuPercent, double redisCpuPercent, Map<String, Long> errors,
                   boolean warmUp, Map<String, List<String>> hottest, double fanOutMillis, long arrival) {
    /** A step without Redis and flight recordings, whose arrivals count one each. */
    public Step(double offeredPerS, long sent, long ok, long failed, long p99Millis, double seconds,
                double serverCpuPercent, double injectorCpuPercent, double machineCpuPercent, Map<String, Long> errors, boolean warmUp) {
        this(offeredPerS, sent, ok, failed, p99Millis, seconds, serverCpuPercent, injectorCpuPercent, machineCpuPercent, Double.NaN, errors, warmUp, Map.of(),
                Double.NaN, 1);
    }

    /** The latency of a path that has none: fire-and-forget. */
    public static final long NOT_COUNTED = -1;

    /** The same figures, as a warm-up. */
    Step asWarmUp() {
        return new Step(offeredPerS, sent, ok, failed, p99Millis, seconds, serverCpuPercent, injectorCpuPercent, machineCpuPercent, redisCpuPercent, errors,
                true, hottest, fanOutMillis, arrival);
    }

    /** Whether it counts for the verdict and held. */
    boolean held(Slo slo) {
        return !warmUp && breaks(slo).isEmpty();
    }

    public double achievedPerS() {
        return seconds > 0 ? ok / seconds : 0;
    }

    /** What broke the step against the SLO, in words; empty when it held. */
    public List<String> breaks(Slo slo) {
        List<String> broke = new ArrayList<>();
        if (failed > 0) {
            broke.add(String.format("%,d failed or lost", failed));
        }
        if (p99Millis > slo.p99Millis()) {
            broke.add(String.format("p99 %,d ms over the SLO's %,d ms", p99Millis, slo.p99Millis()));
        }
        if (fellShort(slo)) {
            broke.add(String.format("achieved %,.0f/s, below %.0f%% of the %,.0f/s offered", achievedPerS(), slo.minAchievedShare() * 100, offeredPerS));
        }
        return broke;
    }

    /**
     * Whether fewer arrived than the SLO's share of the offered rate, by more than the one arrival a
     * count over a window can miss at its edges: a connect rung offered 1/s counted 1 and broke,
     * "achieved 1/s, below 95% of the 1/s offered" (LimitFinderRunTest, main's CI at a3071fb); a
     * chat rung's count can miss a whole broadcast.
     */
    private boolean fellShort(Slo slo) {
        return ok + arrival < slo.minAchievedShare() * offeredPerS * seconds;
    }

    Map<String, Object> toMap(Slo slo) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("offered_per_s", Math.round(offeredPerS));
        out.put("achieved_per_s", Math.round(achievedPerS()));
        out.put("sent", sent);
        out.put("ok", ok);
        out.put("failed", failed);
        out.put("p99_ms", p99Millis == NOT_COUNTED ? null : p99Millis);
        out.put("server_cpu_percent", roundedOrNull(serverCpuPercent));
        out.put("injector_cpu_percent", roundedOrNull(injectorCpuPercent));
        out.put("machine_cpu_percent", roundedOrNull(machineCpuPercent));
        out.put("redis_cpu_percent", roundedOrNull(redisCpuPercent));
        out.put("fan_out_ms", roundedOrNull(fanOutMillis));
        List<String> broke = warmUp ? List.of() : breaks(slo);
        out.put("warm_up", warmUp);
        out.put("held", warmUp ? null : broke.isEmpty());
        out.put("broke_on", broke);
        out.put("errors", errors);
        if (!hottest.isEmpty()) {
            out.put("hottest", hottest);
        }
        return out;
    }

    /** A figure as summary.json holds it, whole: null when it was not measured (a CPU not sampled, a cost not known). */
    static Long roundedOrNull(double value) {
        return Double.isNaN(value) ? null : Math.round(value);
    }
}
