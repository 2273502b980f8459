package io.wshunt.report;

import java.util.Optional;

/** This machine's ceiling as a run's figures are set beside it (the runner's capacity probe measures it). */
public interface CeilingShare {
    /** What share of the named phase's rate {@code rate} is, if that phase was measured. */
    Optional<Double> share(String phase, double rate);

    /** In words, for the run's table: the rate, the ceiling and what the share says about the run. */
    Optional<String> describe(String phase, double rate, String unit);
}
