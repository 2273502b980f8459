package io.wshunt.runner.limit;

import java.util.ArrayList;
import java.util.List;

/** The rates a path is stepped through: coarse steps up to the machine's ceiling, then finer ones between the last that held and the first that broke. */
final class Ladder {
    /**
     * Shares of the probe's ceiling: injectors share the cores with the servers, so the knee lies
     * well below it; the top rung offers the whole ceiling.
     */
    static final double[] COARSE_SHARES = {0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 0.8, 1.0};
    /** Without a ceiling: doubling from this rate. */
    static final int FIRST_RATE = 1_000;
    static final int FINE_STEPS = 3;
    /** Rungs of a ladder above a top that held, without a ceiling. */
    static final int HIGHER_RUNGS = 4;

    private Ladder() {
    }

    static List<Integer> coarse(double ceilingPerS) {
        return coarse(ceilingPerS, 0);
    }

    /** The coarse rungs, none below {@code bottomPerS}: a path whose steps cannot be judged below it (a few chat messages a step). */
    static List<Integer> coarse(double ceilingPerS, double bottomPerS) {
        List<Integer> rates = new ArrayList<>();
        for (int i = 0; i < COARSE_SHARES.length; i++) {
            long rate = Double.isNaN(ceilingPerS) ? (long) FIRST_RATE << i : Math.max(1, Math.round(ceilingPerS * COARSE_SHARES[i]));
            rates.add((int) Math.max(rate, Math.round(bottomPerS)));
        }
        return rates.stream().distinct().toList();
    }

    /** Doubling from a top that held: {@value #HIGHER_RUNGS} rungs, none past the largest int. */
    static List<Integer> doubling(int heldTop) {
        List<Integer> rates = new ArrayList<>();
        for (int i = 1; i <= HIGHER_RUNGS; i++) {
            rates.add((int) Math.min(Integer.MAX_VALUE, (long) heldTop << i));
        }
        return rates.stream().distinct().toList();
    }

    /** Evenly between the highest rate that held (0: none did) and the lowest that broke, both left out. */
    static List<Integer> fine(double held, double broke) {
        List<Integer> rates = new ArrayList<>();
        for (int i = 1; i <= FINE_STEPS; i++) {
            rates.add((int) Math.max(1, Math.round(held + (broke - held) * i / (FINE_STEPS + 1))));
        }
        return rates.stream().distinct().filter(rate -> rate > held && rate < broke).toList();
    }
}
