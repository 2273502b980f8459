package io.wshunt.simulations;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;

/**
 * How far this injector's clock is from a server's, measured NTP-style over the server's
 * {@code /health}: the server's time against the middle of the request's round trip, from the
 * quickest of several tries. A delivery's latency compares the server's timestamp with this
 * machine's clock at arrival; on another machine, that is only honest once the offset is added.
 *
 * @param millis         server clock minus this clock, in milliseconds
 * @param roundTripMillis the quickest try's round trip: the offset is within half of it
 */
record ClockOffset(double millis, double roundTripMillis) {
    static final ClockOffset NONE = new ClockOffset(0, Double.NaN);
    private static final int TRIES = 8;

    /**
     * Against the servers whose {@code /stats} are given ({@code /health} beside each): the mean of
     * their offsets, since a broadcast carries the timestamp of whichever server took the chat; within
     * half the slowest best round trip. None when a server has no clock to read.
     */
    static ClockOffset against(List<URI> stats) {
        double sum = 0;
        double roundTrip = 0;
        for (URI server : stats) {
            ClockOffset one = of(server);
            if (!one.measured()) return NONE;
            sum += one.millis;
            roundTrip = Math.max(roundTrip, one.roundTripMillis);
        }
        return stats.isEmpty() ? NONE : new ClockOffset(sum / stats.size(), roundTrip);
    }

    /** Against the server whose {@code /stats} is given, if one is; none when it has no clock to read. */
    static ClockOffset against(Optional<URI> stats) {
        return stats.map(ClockOffset::of).orElse(NONE);
    }

    /** Against one server, from its {@code /stats} address ({@code /health} beside it); none when it has no clock to read. */
    private static ClockOffset of(URI stats) {
        URI health = stats.resolve("/health");
        ClockOffset best = NONE;
        for (int i = 0; i < TRIES; i++) {
            long before = micros(Instant.now());
            Optional<JsonNode> answer = Json.get(health);
            long after = micros(Instant.now());
            if (answer.isEmpty() || !answer.get().path("time_us").isIntegralNumber()) return best;
            ClockOffset tried = of(before, answer.get().path("time_us").asLong(), after);
            if (Double.isNaN(best.roundTripMillis) || tried.roundTripMillis < best.roundTripMillis) best = tried;
        }
        return best;
    }

    /** One try: sent at {@code before}, the server's clock read as {@code server}, answered at {@code after} (microseconds). */
    static ClockOffset of(long before, long server, long after) {
        return new ClockOffset((server - (before + after) / 2.0) / 1_000, (after - before) / 1_000.0);
    }

    boolean measured() {
        return !Double.isNaN(roundTripMillis);
    }

    String describe() {
        return measured() ? String.format("clock offset to the servers %+.1f ms (within %.1f ms), added to every delivery's arrival", millis, roundTripMillis / 2)
                : "clock offset to the servers not measured (no server address, or no time in its /health): deliveries are timed with this machine's clock";
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
