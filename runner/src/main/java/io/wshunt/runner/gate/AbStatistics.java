package io.wshunt.runner.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Paired comparison of rounds run side by side: the log of each round's candidate/base ratio,
 * their mean and a 95% Student-t interval, turned back into ratios. Logs make a halving and a
 * doubling equally far from 1, and a ratio of two noisy rates is closer to log-normal than normal.
 */
public record AbStatistics(List<Double> ratios, double mean, double low, double high) {
    /** What one judged metric says after some rounds; inconclusive only once rounds have run out. */
    public enum Verdict { PASSED, REGRESSION, UNDECIDED, INCONCLUSIVE }

    /**
     * Why these rounds cannot be judged, if they cannot: fewer than two pairs, or a value that is
     * not a positive finite number (a phase that measured nothing is never "no change").
     */
    public static Optional<String> unmeasurable(List<Double> base, List<Double> candidate) {
        if (base == null || candidate == null || base.size() != candidate.size()) {
            return Optional.of("base and candidate have different numbers of rounds");
        }
        if (base.size() < 2) {
            return Optional.of("only " + base.size() + " round(s); at least two are needed for an interval");
        }
        for (int i = 0; i < base.size(); i++) {
            if (!positive(base.get(i)) || !positive(candidate.get(i))) {
                return Optional.of("round " + (i + 1) + " measured nothing (base " + base.get(i) + ", candidate " + candidate.get(i) + ")");
            }
        }
        return Optional.empty();
    }

    public static AbStatistics of(List<Double> base, List<Double> candidate) {
        unmeasurable(base, candidate).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        List<Double> ratios = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < base.size(); i++) {
            double ratio = candidate.get(i) / base.get(i);
            ratios.add(ratio);
            sum += Math.log(ratio);
        }
        int n = ratios.size();
        double meanLog = sum / n;
        double squares = 0;
        for (double ratio : ratios) {
            squares += Math.pow(Math.log(ratio) - meanLog, 2);
        }
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * Math.sqrt(squares / (n - 1) / n);
        return new AbStatistics(List.copyOf(ratios), Math.exp(meanLog), Math.exp(meanLog - half), Math.exp(meanLog + half));
    }

    /**
     * Against the ratio where a regression starts ({@code limit}, such as 0.93 for a figure where
     * higher is better or 1.05 where lower is): a regression when the whole interval lies past the
     * limit, passed when it lies on the good side. In between more rounds are needed; once they have
     * run out ({@code last}) the verdict is inconclusive, and the interval says by how much.
     */
    public Verdict verdict(double limit, boolean higherIsBetter, boolean last) {
        double worst = higherIsBetter ? low : high;
        double best = higherIsBetter ? high : low;
        if (higherIsBetter ? best < limit : best > limit) return Verdict.REGRESSION;
        if (higherIsBetter ? worst >= limit : worst <= limit) return Verdict.PASSED;
        return last ? Verdict.INCONCLUSIVE : Verdict.UNDECIDED;
    }

    private static boolean positive(Double value) {
        return value != null && Double.isFinite(value) && value > 0;
    }
}
