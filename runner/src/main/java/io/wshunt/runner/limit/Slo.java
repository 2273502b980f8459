package io.wshunt.runner.limit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step must do to hold: nothing failed or lost, the p99 within bounds (a path without a
 * latency: {@link #NO_LATENCY}), and at least this share of the rate offered achieved.
 */
public record Slo(long p99Millis, double minAchievedShare) {
    public static final double MIN_ACHIEVED_SHARE = 0.95;
    /** The p99 of a path whose messages nobody answers: no bound. */
    public static final long NO_LATENCY = Long.MAX_VALUE;

    /** A path judged only on what arrived and on errors. */
    public static Slo withoutLatency() {
        return new Slo(NO_LATENCY, MIN_ACHIEVED_SHARE);
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p99_ms", p99Millis == NO_LATENCY ? null : p99Millis);
        out.put("min_achieved_share", minAchievedShare);
        out.put("lost", 0);
        return out;
    }
}
