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
     * The shortest step where the users allow it. Fresh injectors took their first seconds to start
     * and compile, and that backlog spilled into the steps after: with 2 s steps up to 6,061/s at
     * 50,000 users, no rung held, from 303/s on (p99 2.2 s, injectors at 144% CPU). Injectors now
     * warm up before the ladder (InjectorMain), and 3 s steps climb to 4,040/s at 50,000 users,
     * above the 2,635/s that servers and injectors together take here; 5 s steps stopped at 2,424/s,
     * every rung held, and the knee was not reached.
     */
    static final int SHORTEST_STEP_SECONDS = 3;
    /** The shortest step for a few users: shorter, and its whole-user rates would repeat. */
    static final int FEWEST_USERS_STEP_SECONDS = 2;
    /** The lowest top worth the shortest step: its first rung still offers a user a second. */
    private static final double LOWEST_TOP_PER_S = 1 / Ladder.COARSE_SHARES[0];
    /** The share of the users the steps before the last may take: each injector rounds its share of every rate up. */
    static final double FILL = 0.9;

    /** Room for the rates' rounding to whole users per second. */
    private static final double ROUNDING = 1.1;
    /** The coarse ladder's rates and its warm-up's, as shares of its top. */
    private static final double SHARES = Arrays.stream(Ladder.COARSE_SHARES).sum() + Ladder.COARSE_SHARES[0] / 2;

    private ConnectLadder() {
    }

    /** The highest rate a coarse ladder (its warm-up too) can offer with {@code users}, at the shortest steps. */
    public static double topPerS(int users) {
        return users * FILL / (shortestStepSeconds(users) * SHARES * ROUNDING);
    }

    /** {@link #SHORTEST_STEP_SECONDS}, or down to 2 s for users too few to offer a user a second on its first rung. */
    public static int shortestStepSeconds(int users) {
        double seconds = users * FILL / (LOWEST_TOP_PER_S * SHARES * ROUNDING);
        return (int) Math.max(FEWEST_USERS_STEP_SECONDS, Math.min(SHORTEST_STEP_SECONDS, Math.floor(seconds)));
    }

    /** How long each step lasts: as long as the users last, up to {@link LimitFinder#STEP_SECONDS}. */
    public static int stepSeconds(int users, List<Integer> rates) {
        long perSecond = rates.stream().mapToLong(Integer::longValue).sum();
        return (int) Math.max(1, Math.min(LimitFinder.STEP_SECONDS, (long) (users * FILL / perSecond)));
    }
}
