package io.wshunt.runner.gate;

import java.util.List;

/**
 * Paired comparison of rounds run side by side: the candidate/base ratio of each round, their
 * mean, and a 95% confidence interval from Student's t, so that a verdict rests on every round
 * rather than on one pair of numbers from a noisy machine.
 */
public record AbStatistics(List<Double> ratios, double mean, double low, double high) {
    /** Two-sided 95% critical values of Student's t for 1 to 10 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};

    public static AbStatistics of(List<Double> base, List<Double> candidate) {
        if (base.size() != candidate.size() || base.size() < 2) {
            throw new IllegalArgumentException("A/B needs at least two paired rounds, got " + base.size() + " and " + candidate.size());
        }
        List<Double> ratios = new java.util.ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            ratios.add(base.get(i) == 0 ? Double.NaN : candidate.get(i) / base.get(i));
        }
        int n = ratios.size();
        double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double variance = ratios.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / (n - 1);
        double t = n - 1 <= T95.length ? T95[n - 2] : 1.96;
        double half = t * Math.sqrt(variance / n);
        return new AbStatistics(List.copyOf(ratios), mean, mean - half, mean + half);
    }

    /**
     * A regression is a change beyond the tolerance in the bad direction that the rounds agree on:
     * the mean is past the limit and the whole interval lies on the bad side of 1.
     */
    public boolean regression(String kind, double tolerance) {
        return switch (kind) {
            case Metric.HIGHER -> mean < 1 - tolerance && high < 1;
            case Metric.LOWER -> mean > 1 + tolerance && low > 1;
            default -> throw new IllegalArgumentException("A/B judges relative metrics only, not " + kind);
        };
    }
}
