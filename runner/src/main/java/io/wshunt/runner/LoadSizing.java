package io.wshunt.runner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.wshunt.contract.SimulationSetting;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.runner.probe.Ceiling;

/**
 * The load a run offers when the user gives only {@code --users}: the connect rate and the chat
 * round sized from what the capacity probe measured on this machine, the burst sized to the users.
 * Whatever the user set with {@code -D} wins. Each figure says where it came from.
 */
record LoadSizing(Map<String, String> properties, Map<String, String> reasons, int coldConnectRate) {
    /** Simulations' own defaults, used when the ceiling was not measured. */
    static final int DEFAULT_CONNECT_RATE = SimulationSetting.CONNECT_RATE.intDefault();
    static final int DEFAULT_CHAT_SENDERS = SimulationSetting.CHAT_SENDERS.intDefault();
    static final int DEFAULT_CHAT_MESSAGES = SimulationSetting.CHAT_MESSAGES_PER_SENDER.intDefault();
    static final int DEFAULT_CHAT_INTERVAL_MILLIS = SimulationSetting.CHAT_INTERVAL_MILLIS.intDefault();
    static final int DEFAULT_MESSAGES_PER_USER = SimulationSetting.MESSAGES_PER_USER.intDefault();
    static final int DEFAULT_ENDURANCE_RATE = SimulationSetting.ENDURANCE_RATE.intDefault();
    static final int DEFAULT_ENDURANCE_SECONDS = SimulationSetting.ENDURANCE_SECONDS.intDefault();
    /** Endurance paces every user at a quarter of its duration or less: slower, the "rate" is a burst and a wait. */
    static final int SENDS_PER_ENDURANCE_USER = 4;

    /**
     * Injectors and servers share the machine. With three injectors past the even half of their port
     * range, 50,000 users connected at 1,200-1,540/s, and 290 timed out at 2,131/s offered; within it
     * (four injectors), 1,929-1,952/s at 2,000/s offered, with the probe's fresh server at
     * 2,017-2,422/s in the same runs. Two thirds of the probe's rate leaves the injectors room.
     */
    static final double CONNECT_SHARE = 2.0 / 3;
    /**
     * Injectors warm up only before ConnectionRamp. Cold, 50,000 users connected at two thirds of the
     * probe's rate (1,393-1,570/s) had a connect p99 of 10.3-10.5 s; at 478-807/s, 51-463 ms.
     */
    static final double COLD_CONNECT_SHARE = 1.0 / 3;
    static final int MIN_RAMP_SECONDS = 5;
    /**
     * A delivery to a waiting Gatling user costs about what a round trip does: one write by the
     * server, one read and one dispatch in Gatling. The probe's broadcast rate is no measure of it:
     * there the server writes the broadcasts that queued up in one write per user, and a chat round
     * of a few senders, each waiting for its echo, queues few. With several servers Redis and the
     * injectors share the cores too: chat offers a quarter of the probe's acked round trips/s, and
     * so does an acked Endurance. At 50,000 users the finder held 11,662-12,448 acked msg/s, a
     * quarter of the probe's 49,791; at 100,000 users four sends each in 20 s asked 20,000, and the
     * ack p99 reached 8.3-10.7 s.
     */
    static final double ROUND_TRIP_SHARE = 0.25;
    /** The share of an acked burst's rate, with every user connected, that an acked Endurance offers: room for its pace. */
    static final double BURST_RATE_SHARE = 0.75;
    private static final String GIVEN = "given";
    /** Benchmark messages of one MessageThroughput run, over all users: enough for a rate, bounded in time. */
    static final int BURST_MESSAGES = 500_000;
    /**
     * How long an acked burst's message may wait for the acks ahead of it. Each sender has one message
     * in flight, so the senders are a queue: 100,000 of them, at the 5,369-18,217 acked msg/s that
     * 100,000 connected users left, put the ack p99 at 6.5-13.8 s (about senders / rate). As many
     * senders as a quarter of the probe's round trips/s (see {@link #ROUND_TRIP_SHARE}) ack in a second
     * keep the acks coming as fast. With 100,000 users connected the machine acked a tenth of the
     * probe's (6,238-9,067/s), so about 3 s queued: ack p99 6.5-7.4 s (session 23, 3 runs).
     */
    static final double BURST_WAIT_SECONDS = 1;

    static LoadSizing of(int users, Map<String, String> given, Optional<Ceiling> ceiling) {
        Map<String, String> sized = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Optional<Double> connects = ceiling.flatMap(c -> c.phase("connect")).map(phase -> phase.rate());
        Optional<Double> roundTrips = ceiling.flatMap(c -> c.phase("ack")).map(phase -> phase.rate());
        // What chat, an acked burst and an acked Endurance are each sized within.
        Optional<Double> roundTripShare = roundTrips.map(rate -> rate * ROUND_TRIP_SHARE);
        String roundTripShareWords = roundTrips.map(rate -> String.format("a quarter of the probe's %,.0f round trips/s", rate)).orElse("");

        // A ramp of a few seconds at least: a shorter one is a burst, and its rate says nothing.
        int wanted = Math.max(DEFAULT_CONNECT_RATE, users / MIN_RAMP_SECONDS);
        int fromProbe = connects.map(rate -> (int) Math.max(DEFAULT_CONNECT_RATE, rate * CONNECT_SHARE)).orElse(DEFAULT_CONNECT_RATE);
        int connectRate = connects.isPresent() ? Math.min(wanted, fromProbe) : DEFAULT_CONNECT_RATE;
        int coldConnectRate = connects.isPresent() && !given.containsKey(SimulationSetting.CONNECT_RATE.key())
                ? Math.min(connectRate, (int) Math.max(DEFAULT_CONNECT_RATE, connects.get() * COLD_CONNECT_SHARE)) : 0;
        sized.put(SimulationSetting.CONNECT_RATE.key(), String.valueOf(connectRate));
        reasons.put(SimulationSetting.CONNECT_RATE.key(), connects.map(rate -> connectRate < fromProbe
                        ? String.format("%,d users over about %d s: a ramp, not a burst (the probe's %,.0f connects/s allow more)",
                                users, Math.max(1, users / connectRate), rate)
                        : String.format("two thirds of the probe's %,.0f connects/s", rate))
                .orElse("the default; the ceiling was not measured"));

        int burstSenders = roundTripShare.filter(share -> acked(given) && !given.containsKey(SimulationSetting.MESSAGES_PER_USER.key()))
                .map(share -> (int) (share * BURST_WAIT_SECONDS)).filter(senders -> senders >= 1 && senders < users).orElse(0);
        int sendersOfBurst = burstSenders > 0 ? burstSenders : users;
        int messagesPerUser = Math.max(1, burstSenders > 0 ? BURST_MESSAGES / burstSenders : Math.min(DEFAULT_MESSAGES_PER_USER, BURST_MESSAGES / users));
        sized.put(SimulationSetting.MESSAGES_PER_USER.key(), String.valueOf(messagesPerUser));
        reasons.put(SimulationSetting.MESSAGES_PER_USER.key(), burstSenders > 0 || messagesPerUser < DEFAULT_MESSAGES_PER_USER
                ? String.format("%,d messages in all over %,d senders", BURST_MESSAGES, sendersOfBurst) : "the default");
        sized.put(SimulationSetting.BURST_SENDERS.key(), String.valueOf(burstSenders));
        reasons.put(SimulationSetting.BURST_SENDERS.key(), burstSenders > 0
                ? String.format("one acked message in flight each: what %s acks in %.0f s", roundTripShareWords, BURST_WAIT_SECONDS)
                : "every user");

        int senders = DEFAULT_CHAT_SENDERS;
        int interval = DEFAULT_CHAT_INTERVAL_MILLIS;
        if (roundTripShare.isPresent()) {
            double offered = roundTripShare.get();
            senders = (int) Math.max(1, Math.min(DEFAULT_CHAT_SENDERS, Math.min(users, offered / users)));
            interval = (int) Math.max(DEFAULT_CHAT_INTERVAL_MILLIS, Math.ceil(senders * (double) users * 1000 / offered));
        }
        sized.put(SimulationSetting.CHAT_SENDERS.key(), String.valueOf(senders));
        sized.put(SimulationSetting.CHAT_MESSAGES_PER_SENDER.key(), String.valueOf(DEFAULT_CHAT_MESSAGES));
        sized.put(SimulationSetting.CHAT_INTERVAL_MILLIS.key(), String.valueOf(interval));
        String chatReason = roundTrips.isPresent() ? "offers at most " + roundTripShareWords : "the default; the ceiling was not measured";
        reasons.put(SimulationSetting.CHAT_SENDERS.key(), chatReason);
        reasons.put(SimulationSetting.CHAT_INTERVAL_MILLIS.key(), chatReason);

        sizeEndurance(users, roundTripShare.filter(cap -> acked(given) && !enduranceGiven(given::containsKey)), roundTripShareWords, sized, reasons);
        given.forEach((name, value) -> {
            sized.put(name, value);
            reasons.put(name, GIVEN);
        });
        return new LoadSizing(Collections.unmodifiableMap(sized), Collections.unmodifiableMap(reasons), coldConnectRate);
    }

    /**
     * Endurance's pace: every user sends {@link #SENDS_PER_ENDURANCE_USER} times over the default
     * duration, or, when that would ask more than {@code ackedCap} msg/s, longer rather than faster.
     */
    private static void sizeEndurance(int users, Optional<Double> ackedCap, String capWords, Map<String, String> sized, Map<String, String> reasons) {
        int enduranceSeconds = DEFAULT_ENDURANCE_SECONDS;
        String secondsReason = "the default; the pace is kept " + InjectorMain.PACED_MARGIN_SECONDS + " s longer, and the best enduranceSeconds is judged";
        double sends = SENDS_PER_ENDURANCE_USER * (double) users;
        if (ackedCap.isPresent() && sends / enduranceSeconds > ackedCap.get()) {
            // Longer rather than faster: every user still sends several times, within the acks the machine takes.
            enduranceSeconds = (int) Math.ceil(sends / ackedCap.get());
            secondsReason = String.format("every user sends %d times within %s", SENDS_PER_ENDURANCE_USER, capWords);
        }
        int enduranceRate = (int) Math.max(DEFAULT_ENDURANCE_RATE, Math.ceil(sends / enduranceSeconds));
        sized.put(SimulationSetting.ENDURANCE_SECONDS.key(), String.valueOf(enduranceSeconds));
        reasons.put(SimulationSetting.ENDURANCE_SECONDS.key(), secondsReason);
        sized.put(SimulationSetting.ENDURANCE_RATE.key(), String.valueOf(enduranceRate));
        reasons.put(SimulationSetting.ENDURANCE_RATE.key(), enduranceRate > DEFAULT_ENDURANCE_RATE
                ? String.format("every user sends every %.0f s for %d s", (double) enduranceSeconds / SENDS_PER_ENDURANCE_USER, enduranceSeconds)
                : "the default");
    }

    /** Whether the user gave Endurance's duration or rate (of the settings' names, those given): then neither is made longer nor slower. */
    private static boolean enduranceGiven(Predicate<String> given) {
        return given.test(SimulationSetting.ENDURANCE_SECONDS.key()) || given.test(SimulationSetting.ENDURANCE_RATE.key());
    }

    /**
     * The same load once this run's acked MessageThroughput reached {@code ackedPerS} with the same
     * {@code users}: an acked Endurance offers at most {@link #BURST_RATE_SHARE} of it, longer rather than
     * faster. The probe's single server with few users is no measure of what the whole machine acks
     * with every user connected: at 100,000 users it acked 8,284/s, a tenth of the probe's 83,994,
     * and an Endurance asking 20,000 (within a quarter of the probe's) reached 7,630 with an ack p99
     * of 13.6 s.
     */
    LoadSizing afterBurst(double ackedPerS, int users) {
        double cap = ackedPerS * BURST_RATE_SHARE;
        if (!acked() || enduranceGiven(name -> GIVEN.equals(reasons.get(name))) || ackedPerS <= 0 || intProperty(SimulationSetting.ENDURANCE_RATE) <= cap) {
            return this;
        }
        Map<String, String> sized = new LinkedHashMap<>(properties);
        Map<String, String> why = new LinkedHashMap<>(reasons);
        sizeEndurance(users, Optional.of(cap),
                String.format("three quarters of the %,.0f acked msg/s MessageThroughput reached with these users", ackedPerS), sized, why);
        return new LoadSizing(Collections.unmodifiableMap(sized), Collections.unmodifiableMap(why), coldConnectRate);
    }

    /**
     * The load of one simulation of the suite. One judged on its connects whose injectors do not warm
     * up (fire-and-forget: with no ack to time, the connect is) connects at a third of the probe's
     * rate, unless the user gave one.
     */
    LoadSizing forSimulation(String simulation) {
        if (coldConnectRate <= 0 || InjectorMain.Injection.ramps(simulation) || acked()
                || coldConnectRate >= intProperty(SimulationSetting.CONNECT_RATE)) {
            return this;
        }
        return with(Map.of(SimulationSetting.CONNECT_RATE.key(), String.valueOf(coldConnectRate)),
                "a third of the probe's connects/s: this simulation's injectors connect cold and are judged on it");
    }

    /** Whether this load's benchmark messages await an ack. */
    boolean acked() {
        return acked(properties);
    }

    /** Whether the simulations await an ack per benchmark message (and time it) rather than fire and forget. */
    private static boolean acked(Map<String, String> settings) {
        return SimulationSetting.MODE.from(settings).equals("ack");
    }

    /** The same load with some settings replaced, each with the reason given. */
    LoadSizing with(Map<String, String> replaced, String reason) {
        Map<String, String> sized = new LinkedHashMap<>(properties);
        Map<String, String> why = new LinkedHashMap<>(reasons);
        replaced.forEach((name, value) -> {
            sized.put(name, value);
            why.put(name, reason);
        });
        return new LoadSizing(Collections.unmodifiableMap(sized), Collections.unmodifiableMap(why), coldConnectRate);
    }

    int intProperty(SimulationSetting setting) {
        return setting.intFrom(properties);
    }

    /** Deliveries per second the chat round asks for: every sender's message to every user, once an interval. */
    double offeredDeliveriesPerSecond(int users) {
        return SimulationOutcome.offeredDeliveriesPerSecond(intProperty(SimulationSetting.CHAT_SENDERS), users, intProperty(SimulationSetting.CHAT_INTERVAL_MILLIS));
    }

    String describe() {
        StringBuilder out = new StringBuilder("Load (sized for this run; -Dname=value overrides):\n");
        for (SimulationSetting setting : RunnerOptions.WHOLE_NUMBER_SETTINGS) {
            String name = setting.key();
            out.append(String.format("  %-22s %-8s %s%n", name, properties.get(name), reasons.getOrDefault(name, "")));
        }
        return out.toString();
    }
}
