package io.wshunt.runner.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the rounds so far say of one candidate against the base: each metric's ratio and interval
 * over the rounds both sides ran, its verdict, and the candidate's outcome. Any regression decides;
 * a metric that could not be measured fails; a candidate passes only when every metric passed.
 */
public record AbVerdict(Outcome outcome, List<String> reasons, Map<String, AbStatistics> statistics, Map<String, AbStatistics.Verdict> verdicts) {
    /** What a candidate comes to. Inconclusive: rounds ran out with an interval across a limit. */
    public enum Outcome { PASSED, REGRESSION, INCONCLUSIVE, NOT_MEASURED, UNDECIDED }

    static final AbVerdict UNDECIDED = new AbVerdict(Outcome.UNDECIDED, List.of(), Map.of(), Map.of());

    public boolean decided() {
        return outcome != Outcome.UNDECIDED;
    }

    public String reason() {
        return String.join("; ", reasons);
    }

    /**
     * Judges every metric over the rounds (keyed alike on both sides) where the candidate has a
     * figure for it. {@code last}: no more rounds will come, so every metric gets a final verdict.
     */
    public static AbVerdict judge(Map<Integer, Map<String, Double>> base, Map<Integer, Map<String, Double>> candidate, List<AbMetric> metrics,
                                  boolean last) {
        Map<String, AbStatistics> statistics = new LinkedHashMap<>();
        Map<String, AbStatistics.Verdict> verdicts = new LinkedHashMap<>();
        List<String> regressions = new ArrayList<>();
        List<String> unmeasured = new ArrayList<>();
        List<String> inconclusive = new ArrayList<>();
        boolean undecided = false;
        for (AbMetric metric : metrics) {
            List<Double> baseValues = new ArrayList<>();
            List<Double> candidateValues = new ArrayList<>();
            candidate.forEach((round, figures) -> {
                if (figures.containsKey(metric.name())) {
                    baseValues.add(base.getOrDefault(round, Map.of()).getOrDefault(metric.name(), Double.NaN));
                    candidateValues.add(figures.get(metric.name()));
                }
            });
            String why = AbStatistics.unmeasurable(baseValues, candidateValues).orElse(null);
            if (why != null) {
                // Too few rounds yet is no failure while more can come; a round that measured nothing is.
                boolean tooFew = baseValues.size() < 2 && !last;
                if (!tooFew) {
                    unmeasured.add("could not measure " + metric.name() + ": " + why);
                }
                undecided |= tooFew;
                continue;
            }
            AbStatistics metricStatistics = AbStatistics.of(baseValues, candidateValues);
            AbStatistics.Verdict verdict = metricStatistics.verdict(metric.limit(), metric.higherIsBetter(), last);
            statistics.put(metric.name(), metricStatistics);
            verdicts.put(metric.name(), verdict);
            switch (verdict) {
                case REGRESSION -> regressions.add(metric.name());
                case INCONCLUSIVE -> inconclusive.add(String.format("%s %.3f [%.3f, %.3f] across %.2f",
                        metric.name(), metricStatistics.mean(), metricStatistics.low(), metricStatistics.high(), metric.limit()));
                case UNDECIDED -> undecided = true;
                case PASSED -> { }
            }
        }
        if (!regressions.isEmpty()) return new AbVerdict(Outcome.REGRESSION, regressions, statistics, verdicts);
        if (!unmeasured.isEmpty()) return new AbVerdict(Outcome.NOT_MEASURED, unmeasured, statistics, verdicts);
        if (undecided) return new AbVerdict(Outcome.UNDECIDED, List.of(), statistics, verdicts);
        if (!inconclusive.isEmpty()) return new AbVerdict(Outcome.INCONCLUSIVE, inconclusive, statistics, verdicts);
        return new AbVerdict(Outcome.PASSED, List.of(), statistics, verdicts);
    }
}
