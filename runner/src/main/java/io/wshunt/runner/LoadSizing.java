package io.wshunt.runner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.wshunt.report.SimulationOutcome;
import io.wshunt.runner.probe.Ceiling;

/**
 * The load a run offers when the user gives only {@code --users}: the connect rate and the chat
 * round sized from what the capacity probe measured on this machine, the burst sized to the users.
 * Whatever the user set with {@code -D} wins. Each figure says where it came from.
 */
record LoadSizing(Map<String, String> properties, Map<String, String> reasons) {
    /** Simulations' own defaults, used when the ceiling was not measured. */
    static final int CONNECT_RATE = 250;
    static final int CHAT_SENDERS = 10;
    static final int CHAT_MESSAGES = 5;
    static final int CHAT_INTERVAL_MILLIS = 200;
    static final int MESSAGES_PER_USER = 20;
    static final int ENDURANCE_RATE = 2_000;
    static final int ENDURANCE_SECONDS = 20;
    /** Endurance paces every user at a quarter of its duration or less: slower, the "rate" is a burst and a wait. */
    static final int SENDS_PER_ENDURANCE_USER = 4;

    /**
     * Gatling connects at about a third of the rate of the probe's client (4,262/s warm, against
     * 1,200-1,540 in a 50,000-user ramp), and injectors and servers share the machine. Offered more,
     * the servers' accept queues fill and connects time out: 290 of 50,000 at 2,131/s offered.
     */
    static final double CONNECT_SHARE = 1.0 / 3;
    static final int MIN_RAMP_SECONDS = 5;
    /**
     * A delivery to a waiting Gatling user costs about what a round trip does: one write by the
     * server, one read and one dispatch in Gatling. The probe's broadcast rate is no measure of it:
     * there the server writes the broadcasts that queued up in one write per user, and a chat round
     * of a few senders, each waiting for its echo, queues few. With several servers Redis and the
     * injectors share the cores too: chat offers a quarter of the probe's acked round trips/s.
     */
    static final double CHAT_SHARE = 0.25;
    /** Benchmark messages of one MessageThroughput run, over all users: enough for a rate, bounded in time. */
    static final int BURST_MESSAGES = 500_000;

    static LoadSizing of(int users, Map<String, String> given, Optional<Ceiling> ceiling) {
        Map<String, String> sized = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Optional<Double> connects = ceiling.flatMap(c -> c.phase("connect")).map(phase -> phase.rate());
        Optional<Double> roundTrips = ceiling.flatMap(c -> c.phase("ack")).map(phase -> phase.rate());

        // A ramp of a few seconds at least: a shorter one is a burst, and its rate says nothing.
        int wanted = Math.max(CONNECT_RATE, users / MIN_RAMP_SECONDS);
        int fromProbe = connects.map(rate -> (int) Math.max(CONNECT_RATE, rate * CONNECT_SHARE)).orElse(CONNECT_RATE);
        int connectRate = connects.isPresent() ? Math.min(wanted, fromProbe) : CONNECT_RATE;
        sized.put("connectRate", String.valueOf(connectRate));
        reasons.put("connectRate", connects.map(rate -> connectRate < fromProbe
                        ? String.format("%,d users over about %d s: a ramp, not a burst (the probe's %,.0f connects/s allow more)",
                                users, Math.max(1, users / connectRate), rate)
                        : String.format("a third of the probe's %,.0f connects/s", rate))
                .orElse("the default; the ceiling was not measured"));

        int messagesPerUser = Math.max(1, Math.min(MESSAGES_PER_USER, BURST_MESSAGES / users));
        sized.put("messagesPerUser", String.valueOf(messagesPerUser));
        reasons.put("messagesPerUser", messagesPerUser < MESSAGES_PER_USER
                ? String.format("%,d messages in all over %,d users", BURST_MESSAGES, users) : "the default");

        int senders = CHAT_SENDERS;
        int interval = CHAT_INTERVAL_MILLIS;
        if (roundTrips.isPresent()) {
            double offered = roundTrips.get() * CHAT_SHARE;
            senders = (int) Math.max(1, Math.min(CHAT_SENDERS, Math.min(users, offered / users)));
            interval = (int) Math.max(CHAT_INTERVAL_MILLIS, Math.ceil(senders * (double) users * 1000 / offered));
        }
        sized.put("chatSenders", String.valueOf(senders));
        sized.put("chatMessagesPerSender", String.valueOf(CHAT_MESSAGES));
        sized.put("chatIntervalMillis", String.valueOf(interval));
        String chatReason = roundTrips.map(rate -> String.format("offers at most a quarter of the probe's %,.0f round trips/s", rate))
                .orElse("the default; the ceiling was not measured");
        reasons.put("chatSenders", chatReason);
        reasons.put("chatIntervalMillis", chatReason);

        int enduranceSeconds = Integer.parseInt(given.getOrDefault("enduranceSeconds", String.valueOf(ENDURANCE_SECONDS)).replace("_", ""));
        int enduranceRate = (int) Math.max(ENDURANCE_RATE, Math.ceil(SENDS_PER_ENDURANCE_USER * (double) users / enduranceSeconds));
        sized.put("enduranceSeconds", String.valueOf(enduranceSeconds));
        reasons.put("enduranceSeconds", "the default; the pace is kept " + InjectorFleet.PACED_MARGIN_SECONDS
                + " s longer, and the best enduranceSeconds is judged");
        sized.put("enduranceRate", String.valueOf(enduranceRate));
        reasons.put("enduranceRate", enduranceRate > ENDURANCE_RATE
                ? String.format("every user sends every %.0f s for %d s", (double) enduranceSeconds / SENDS_PER_ENDURANCE_USER, enduranceSeconds)
                : "the default");
        given.forEach((name, value) -> {
            sized.put(name, value);
            reasons.put(name, "given");
        });
        return new LoadSizing(Collections.unmodifiableMap(sized), Collections.unmodifiableMap(reasons));
    }

    int intProperty(String name) {
        return Integer.parseInt(properties.get(name).replace("_", ""));
    }

    /** Deliveries per second the chat round asks for: every sender's message to every user, once an interval. */
    double offeredDeliveriesPerSecond(int users) {
        return SimulationOutcome.offeredDeliveriesPerSecond(intProperty("chatSenders"), users, intProperty("chatIntervalMillis"));
    }

    String describe() {
        StringBuilder out = new StringBuilder("Load (sized for this run; -Dname=value overrides):\n");
        for (String name : new String[] {"connectRate", "messagesPerUser", "chatSenders", "chatMessagesPerSender", "chatIntervalMillis", "enduranceSeconds", "enduranceRate"}) {
            out.append(String.format("  %-22s %-8s %s%n", name, properties.get(name), reasons.getOrDefault(name, "")));
        }
        return out.toString();
    }
}
