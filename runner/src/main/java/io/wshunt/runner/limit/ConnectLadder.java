package io.wshunt.runner.limit;

import java.util.Arrays;
import java.util.List;

/**
 * The connect path's ladder: the users themselves connect up it, each step's rate held until the
 * next, the last step taking the rest. How high and how long its steps can be is set by how many
 * users there are.
 */
public final class ConnectLadder {
    /**
     * The shortest step. Fresh injectors take their first seconds to start and compile, and that
     * backlog spills into the steps after: with 2 s steps up to 6,061/s at 50,000 users, no rung
     * held, from 303/s on (p99 2.2 s, injectors at 144% CPU); with 5 s rungs, every rung up to 2,104/s held.
     */
    public static final int SHORTEST_STEP_SECONDS = 5;
    /** The share of the users the steps before the last may take: each injector rounds its share of every rate up. */
    static final double FILL = 0.9;

    /** Room for the rates' rounding to whole users per second. */
    private static final double ROUNDING = 1.1;

    private ConnectLadder() {
    }

    /** The highest rate a coarse ladder (its warm-up too) can offer with {@code users}, at the shortest steps. */
    public static double topPerS(int users) {
        double shares = Arrays.stream(Ladder.COARSE_SHARES).sum() + Ladder.COARSE_SHARES[0] / 2;
        return users * FILL / (SHORTEST_STEP_SECONDS * shares * ROUNDING);
    }

    /** How long each step lasts: as long as the users last, up to {@link LimitFinder#STEP_SECONDS}. */
    public static int stepSeconds(int users, List<Integer> rates) {
        long perSecond = rates.stream().mapToLong(Integer::longValue).sum();
        return (int) Math.max(1, Math.min(LimitFinder.STEP_SECONDS, (long) (users * FILL / perSecond)));
    }
}
