package io.wshunt.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;

import io.wshunt.report.SimulationOutcome;

/**
 * The servers' counters that say what arrived, each summed over all servers, as they stood at each
 * second of a run: what arrived over any stretch, for a path whose messages nobody answers (fire)
 * or that the servers fan out (chat deliveries). Against a server without counters, the deliveries
 * are the ones its receivers counted, second by second ({@link #ofReceivers}).
 */
final class ServerCounts {
    /** The counters kept: what arrived of each path, the deliveries a slow consumer cost, and how long the broadcasts took to fan out. */
    static final String DELIVERIES = "deliveries";
    static final List<String> COUNTERS = List.of("benchmark_messages", DELIVERIES, "deliveries_dropped", SimulationOutcome.FAN_OUTS,
            SimulationOutcome.FAN_OUT_MICROS);

    /** The summed counters at one instant. */
    private record Reading(long epochMillis, Map<String, Long> counts) {
    }

    private final List<Reading> readings = new ArrayList<>();

    /**
     * The deliveries the receivers counted in each epoch second, summed over the injectors, as readings
     * of the {@code deliveries} counter: the count at the start of each second, from the second before
     * the first arrival to the one after the last, and flat beyond (nothing arrived there).
     */
    static ServerCounts ofReceivers(SortedMap<Long, Long> deliveriesBySecond) {
        ServerCounts counts = new ServerCounts();
        if (deliveriesBySecond.isEmpty()) return counts;
        counts.add(0, Map.of(DELIVERIES, 0L));
        long arrived = 0;
        for (long second = deliveriesBySecond.firstKey(); second <= deliveriesBySecond.lastKey() + 1; second++) {
            counts.add(second * 1000, Map.of(DELIVERIES, arrived));
            arrived += deliveriesBySecond.getOrDefault(second, 0L);
        }
        counts.add(Long.MAX_VALUE / 2, Map.of(DELIVERIES, arrived));
        return counts;
    }

    /** A reading; readings come in time order, and only when every server answered (a missing one would make the sums dip). */
    void add(long epochMillis, Map<String, Long> counts) {
        readings.add(new Reading(epochMillis, Map.copyOf(counts)));
    }

    /** A counter at an instant, straight between the readings around it; empty outside them. */
    OptionalLong at(String counter, long epochMillis) {
        for (int i = 1; i < readings.size(); i++) {
            Reading before = readings.get(i - 1);
            Reading after = readings.get(i);
            if (epochMillis >= before.epochMillis() && epochMillis <= after.epochMillis()) {
                long from = before.counts().getOrDefault(counter, 0L);
                long to = after.counts().getOrDefault(counter, 0L);
                long span = Math.max(1, after.epochMillis() - before.epochMillis());
                return OptionalLong.of(from + (to - from) * (epochMillis - before.epochMillis()) / span);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * How long the broadcasts that finished fanning out between two instants took on average, in
     * milliseconds, from a server having one to having written it to every user of a lane; NaN when
     * none finished (or the servers do not count it).
     */
    double fanOutMillis(long fromEpochMillis, long toEpochMillis) {
        return SimulationOutcome.meanFanOutMillis(rise(SimulationOutcome.FAN_OUTS, fromEpochMillis, toEpochMillis),
                rise(SimulationOutcome.FAN_OUT_MICROS, fromEpochMillis, toEpochMillis)).orElse(Double.NaN);
    }

    /** How much a counter rose between two instants; 0 when the readings do not cover both (the run ended, or the servers stopped answering). */
    long rise(String counter, long fromEpochMillis, long toEpochMillis) {
        OptionalLong from = at(counter, fromEpochMillis);
        OptionalLong to = at(counter, toEpochMillis);
        return from.isPresent() && to.isPresent() ? Math.max(0, to.getAsLong() - from.getAsLong()) : 0;
    }
}
