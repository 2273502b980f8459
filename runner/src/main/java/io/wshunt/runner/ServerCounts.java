package io.wshunt.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One counter of the servers, summed over all of them, as it stood at each second of a run: what
 * arrived at the servers over any stretch, for a path whose messages nobody answers (fire).
 */
final class ServerCounts {
    /** The summed counter at one instant. */
    private record Reading(long epochMillis, long count) {
    }

    private final List<Reading> readings = new ArrayList<>();

    /** A reading; readings come in time order, and only when every server answered (a missing one would make the sum dip). */
    void add(long epochMillis, long count) {
        readings.add(new Reading(epochMillis, count));
    }

    /** The counter at an instant, straight between the readings around it; empty outside them. */
    OptionalLong at(long epochMillis) {
        for (int i = 1; i < readings.size(); i++) {
            Reading before = readings.get(i - 1);
            Reading after = readings.get(i);
            if (epochMillis >= before.epochMillis() && epochMillis <= after.epochMillis()) {
                long span = Math.max(1, after.epochMillis() - before.epochMillis());
                return OptionalLong.of(before.count() + (after.count() - before.count()) * (epochMillis - before.epochMillis()) / span);
            }
        }
        return OptionalLong.empty();
    }
}
