package io.wshunt.runner.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The connect ladder is climbed by the users themselves: its top and its steps fit in how many there are. */
class ConnectLadderTest {
    @Test
    void aCoarseLadderUpToTheTopFitsInTheUsersAtTheShortestStep() {
        for (int users : List.of(200, 2_000, 50_000)) {
            double top = ConnectLadder.topPerS(users);
            List<Integer> rates = new ArrayList<>();
            rates.add((int) Math.round(Ladder.coarse(top).get(0) / 2.0));
            rates.addAll(Ladder.coarse(top));

            int seconds = ConnectLadder.stepSeconds(users, rates);

            assertThat(seconds).as("%,d users up to %.0f/s", users, top).isGreaterThanOrEqualTo(ConnectLadder.shortestStepSeconds(users));
            assertThat(Ladder.coarse(top)).as("%,d users: every coarse rate a rung of its own", users).hasSize(Ladder.COARSE_SHARES.length);
            long beforeTheLast = rates.subList(0, rates.size() - 1).stream().mapToLong(rate -> (long) rate * seconds).sum();
            assertThat(beforeTheLast).as("the steps before the last leave users for it").isLessThan(users);
        }
    }

    @Test
    void stepsLastLongerWithMoreUsersUpToTheFindersStep() {
        List<Integer> rates = List.of(100, 200, 300, 400);

        assertThat(ConnectLadder.stepSeconds(3_000, rates)).isEqualTo(2);
        assertThat(ConnectLadder.topPerS(50_000)).as("50,000 users climb in 3 s steps to").isBetween(4_000.0, 4_080.0);
        assertThat(ConnectLadder.shortestStepSeconds(50_000)).isEqualTo(ConnectLadder.SHORTEST_STEP_SECONDS);
        assertThat(ConnectLadder.shortestStepSeconds(200)).as("200 users: 3 s steps would start below a user a second").isEqualTo(2);
        assertThat(ConnectLadder.stepSeconds(50_000, rates)).isEqualTo(LimitFinder.STEP_SECONDS);
    }
}
