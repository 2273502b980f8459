package io.wshunt.runner.limit;

import java.util.Map;

/** What a step must do to hold: nothing failed or lost, the p99 within bounds, and at least this share of the rate offered achieved. */
public record Slo(long p99Millis, double minAchievedShare) {
    public static final double MIN_ACHIEVED_SHARE = 0.95;

    Map<String, Object> toMap() {
        return Map.of("p99_ms", p99Millis, "min_achieved_share", minAchievedShare, "lost", 0);
    }
}
