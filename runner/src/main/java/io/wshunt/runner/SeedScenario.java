package io.wshunt.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.wshunt.contract.Json;
import io.wshunt.contract.SimulationSetting;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.runner.probe.Ceiling;

/**
 * The scenario this project's story comes from: a blog's Elixir server that, once the port range
 * stopped hiding its limit, ramped to 50,000 connections, burst 750,000 messages over them and
 * sustained messages for 60 s, on a 10-core M2 Pro. {@code --profile seed} runs the three in that
 * shape with the simulations that fit them, and shows each figure beside the blog's and beside
 * this machine's ceiling, measured in the same run.
 */
final class SeedScenario {
    static final String NAME = "seed";
    static final String SOURCE = "the blog's Elixir server on a 10-core M2 Pro";
    static final int BURST_MESSAGES = 750_000;
    static final int SUSTAINED_SECONDS = 60;
    /**
     * The ramp offers a quarter more than the goal set for this project, 2,000 connects/s, and holds
     * it to a connect p99 of 2 s: offered the blog's rate, it would only show that the rate can be
     * matched; offered 2,000/s, it cannot show 2,000/s, since its rate runs to the last user's
     * welcome. With the injectors starting together and no collection of theirs in the ramp, 2,200/s
     * offered connected 2,129/s (p99 1.4 s) and 2,500/s offered 2,445/s (p99 1.5 s), 50,000 users here.
     */
    static final int RAMP_OFFERED_PER_S = 2_500;
    static final long RAMP_P99_MILLIS = 2_000;
    /**
     * More than the blog sustained, and more than the machine holds, so that what the servers count
     * shows what they hold, not what was asked: with warm injectors, 50,000 asked held 47,341-49,374
     * msg/s (97% of it, 3 runs), 60,000 asked 55,007-55,493 (92%, 3 runs).
     */
    static final int SUSTAINED_OFFERED_PER_S = 60_000;

    /**
     * One of the three tests: which simulation runs it, the blog's figure, where the same figure sits
     * in a simulation's summary, and the request whose p99 it is held to beside the simulation's own
     * checks (null: none) with that p99's limit.
     */
    record Test(String name, String simulation, String unit, double seedPerS, String figure, String ceilingPhase, String timedRequest, long p99LimitMillis) {
    }

    static final List<Test> TESTS = List.of(
            new Test("ramp to all connections", "ConnectionRamp", "connects/s", 1_146.6, "/connect_rate_per_s", "connect", "connect", RAMP_P99_MILLIS),
            new Test("burst of " + String.format("%,d", BURST_MESSAGES) + " messages", "MessageThroughput", "msg/s", 27_910, "/benchmark/server_rate_per_s",
                    "fire", null, 0),
            new Test(SUSTAINED_SECONDS + " s sustained", "Endurance", "msg/s", 44_573, "/benchmark/sustained_rate_per_s", "fire", null, 0));

    static final List<String> SIMULATIONS = TESTS.stream().map(Test::simulation).toList();

    private SeedScenario() {
    }

    /**
     * The settings that give a simulation the blog's shape at {@code users} users, but for those the
     * user gave with -D: the ramp offers {@link #RAMP_OFFERED_PER_S}; the
     * burst is {@link #BURST_MESSAGES} fire-and-forget messages over all users; the sustained test
     * fires for {@link #SUSTAINED_SECONDS} s.
     */
    static Map<String, String> settings(String simulation, int users, Map<String, String> given) {
        Map<String, String> settings = new LinkedHashMap<>();
        switch (simulation) {
            case "ConnectionRamp" -> {
                settings.put(SimulationSetting.CONNECT_RATE.key(), String.valueOf(RAMP_OFFERED_PER_S));
            }
            case "MessageThroughput" -> {
                settings.put(SimulationSetting.MODE.key(), "fire");
                settings.put(SimulationSetting.MESSAGES_PER_USER.key(), String.valueOf((BURST_MESSAGES + users - 1) / users));
                settings.put(SimulationSetting.BURST_SENDERS.key(), "0"); // over all connections, as the blog's
            }
            case "Endurance" -> {
                settings.put(SimulationSetting.MODE.key(), "fire");
                settings.put(SimulationSetting.ENDURANCE_SECONDS.key(), String.valueOf(SUSTAINED_SECONDS));
                settings.put(SimulationSetting.ENDURANCE_RATE.key(), String.valueOf(SUSTAINED_OFFERED_PER_S));
            }
            default -> throw new IllegalArgumentException(simulation + " is not one of the seed's tests " + SIMULATIONS);
        }
        settings.keySet().removeAll(given.keySet());
        return settings;
    }

    /**
     * Each test's figure beside the blog's and the ceiling's. A test passes when its simulation passed
     * and its latency is within its limit; one whose simulation did not run, or whose figure the
     * servers did not count, is "not measured", with why.
     */
    static List<Map<String, Object>> judge(List<SimulationOutcome> outcomes, Optional<Ceiling> ceiling) {
        List<Map<String, Object>> judged = new ArrayList<>();
        for (Test test : TESTS) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test", test.name());
            row.put("simulation", test.simulation());
            row.put("unit", test.unit());
            row.put("seed_per_s", test.seedPerS());
            Optional<SimulationOutcome> outcome = outcomes.stream().filter(o -> o.simulation().equals(test.simulation())).findFirst();
            JsonNode figures = outcome.map(o -> (JsonNode) Json.MAPPER.valueToTree(o.toMap())).orElse(null);
            JsonNode figure = figures == null ? null : figures.at(test.figure());
            Optional<Double> ceilingRate = ceiling.flatMap(c -> c.phase(test.ceilingPhase())).map(phase -> phase.rate());
            ceilingRate.ifPresent(rate -> row.put("ceiling_per_s", Math.round(rate)));
            if (figure == null || !figure.isNumber() || figure.asDouble() <= 0) {
                row.put("not_measured", outcome.isEmpty() ? test.simulation() + " did not run"
                        : "the servers counted no " + test.unit() + " (" + test.figure().substring(1) + " is " + figure + ")");
            } else {
                double measured = figure.asDouble();
                row.put("measured_per_s", Math.round(measured));
                row.put("share_of_seed", Math.round(measured / test.seedPerS() * 1000) / 1000.0);
                row.put("beats_seed", measured >= test.seedPerS());
                ceilingRate.ifPresent(rate -> row.put("share_of_ceiling", Math.round(measured / rate * 1000) / 1000.0));
            }
            outcome.ifPresent(o -> {
                List<String> reasons = new ArrayList<>(o.reasons());
                if (test.timedRequest() != null) {
                    JsonNode p99 = figures.path("requests").path(test.timedRequest()).path("p99_ms");
                    row.put("p99_ms", p99.isNumber() ? p99.asLong() : null);
                    row.put("p99_limit_ms", test.p99LimitMillis());
                    if (!p99.isNumber()) {
                        reasons.add("its " + test.timedRequest() + " p99 was not measured");
                    } else if (p99.asLong() > test.p99LimitMillis()) {
                        reasons.add(String.format("%s p99 %,d ms over %,d ms", test.timedRequest(), p99.asLong(), test.p99LimitMillis()));
                    }
                }
                row.put("passed", reasons.isEmpty());
                row.put("reasons", reasons);
            });
            judged.add(row);
        }
        return judged;
    }

    /** Every test measured and passed (beating the blog is shown, not required: it ran on five times these cores). */
    static boolean allPassed(List<Map<String, Object>> judged) {
        return judged.stream().allMatch(row -> !row.containsKey("not_measured") && Boolean.TRUE.equals(row.get("passed")));
    }

    static String table(List<Map<String, Object>> judged) {
        StringBuilder out = new StringBuilder(String.format("%nThe seed's scenario beside %s:%n", SOURCE));
        out.append(String.format("  %-28s %16s %12s %9s %22s  %s%n", "test", "here", "the blog", "here/it", "this run's ceiling", "simulation"));
        for (Map<String, Object> row : judged) {
            String here = row.containsKey("measured_per_s") ? String.format("%,d %s", (Long) row.get("measured_per_s"), row.get("unit")) : "not measured";
            String share = row.containsKey("share_of_seed") ? String.format("%.2fx", (Double) row.get("share_of_seed")) : "-";
            String ceiling = row.containsKey("ceiling_per_s") ? String.format("%,d/s", (Long) row.get("ceiling_per_s"))
                    + (row.containsKey("share_of_ceiling") ? String.format(" (%.0f%%)", 100 * (Double) row.get("share_of_ceiling")) : "") : "not measured";
            String verdict = !row.containsKey("passed") ? "did not run"
                    : Boolean.TRUE.equals(row.get("passed")) ? "passed" : "FAILED " + row.get("reasons");
            out.append(String.format("  %-28s %16s %12s %9s %22s  %s%n", row.get("test"), here, String.format("%,.1f/s", (Double) row.get("seed_per_s")),
                    share, ceiling, verdict));
            if (row.containsKey("not_measured")) {
                out.append("    not measured: ").append(row.get("not_measured")).append('\n');
            }
        }
        return out.toString();
    }
}
