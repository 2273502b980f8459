package io.wshunt.runner.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.wshunt.report.Capacity;

/**
 * Finds how much one path takes: users connected, the offered rate stepped up a ladder of coarse
 * steps, then finer steps between the last rate that held and the first that broke. Each step is
 * judged on loss, the p99 against the SLO, and achieved against offered; the first broken step
 * names what limited it. Bounded: the finer ladder runs only when the time left allows it, and not
 * below a first rung that broke on a cause that no lower rate takes away (a broadcast's fan-out).
 */
public final class LimitFinder {
    /** Runs one ladder: every rate held for a step, {@link #STEP_SECONDS} unless the path needs others, with the users connected throughout. */
    public interface Ladders {
        LadderRun run(String name, List<Integer> rates) throws Exception;
    }

    /** A ladder as measured: each step, and the run's own accounting (sent, acked, lost) and where its report is. */
    public record LadderRun(List<Step> steps, Map<String, Object> run) {
    }

    /**
     * What the finder needs of the run: the path's name and unit, its SLO, the probe's ceiling (NaN:
     * not measured), the cores, the ladder's top rate (NaN: doubling from {@link Ladder#FIRST_RATE})
     * with what sets it, in words, and its lowest judged rate (0: none).
     */
    public record ServerPath(String name, String unit, Slo slo, double ceilingPerS, int cpus, double topPerS, String top, double bottomPerS) {
        /** A ladder up to the probe's ceiling. */
        public ServerPath(String name, String unit, Slo slo, double ceilingPerS, int cpus) {
            this(name, unit, slo, ceilingPerS, cpus, ceilingPerS, Double.isNaN(ceilingPerS) ? "the ladder's top" : "the ladder's top, the probe's ceiling", 0);
        }

        /** The same ladder, no rung below {@code bottomPerS}. */
        public ServerPath from(double bottomPerS) {
            return new ServerPath(name, unit, slo, ceilingPerS, cpus, topPerS, top, bottomPerS);
        }
    }

    /**
     * How long each rate is held; judged over the second half. Each user keeps slots of its own in
     * every step, so a new rate holds from the step's start even when one user's gap is longer.
     */
    public static final int STEP_SECONDS = 10;
    /** Ladders climbed above the first when there is no ceiling and nothing broke: each doubles the rate {@value Ladder#HIGHER_RUNGS} times more. */
    static final int HIGHER_LADDERS = 3;

    private LimitFinder() {
    }

    /** The capacity of one path, as {@code summary.json} holds it under {@code capacity.<path>}. */
    public static Map<String, Object> find(ServerPath path, Ladders ladders, Duration budget) throws Exception {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        List<Integer> coarse = Ladder.coarse(path.topPerS(), path.bottomPerS());
        List<Step> measured = new ArrayList<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        LadderRun first = climb(ladders, path.name() + "-coarse", coarse.get(0) / 2.0, coarse);
        runs.add(first.run());
        Outcome outcome = judge(first.steps(), path.slo(), Outcome.NONE);
        measured.addAll(first.steps());
        long took = System.nanoTime() - started;
        // Without a ceiling to climb to (a server of the user's), the doubling goes on while nothing breaks and the budget lasts.
        List<Integer> top = coarse;
        for (int more = 1; outcome.brokenStep == null && Double.isNaN(path.topPerS()) && more <= HIGHER_LADDERS; more++) {
            if (System.nanoTime() + took > deadline) {
                notes.add(String.format("stopped doubling at %,d/s with nothing broken: the budget left is shorter than a ladder", top.get(top.size() - 1)));
                break;
            }
            long ladderStarted = System.nanoTime();
            top = Ladder.doubling(top.get(top.size() - 1));
            LadderRun higher = climb(ladders, path.name() + "-higher-" + more, top.get(0) / 2.0, top);
            runs.add(higher.run());
            measured.addAll(higher.steps());
            outcome = judge(higher.steps(), path.slo(), outcome); // nothing has broken yet: the loop's condition
            took = System.nanoTime() - ladderStarted;
        }
        if (outcome.brokenStep != null) {
            List<Integer> fine = Ladder.fine(outcome.heldPerS, outcome.brokenStep.offeredPerS());
            Bottleneck cause = bottleneck(outcome.brokenStep, path);
            if (fine.isEmpty()) {
                notes.add("no finer rate lies between the last that held and the first that broke");
            } else if (outcome.heldPerS == 0 && cause.atAnyRate()) {
                notes.add(String.format("the finer steps below %,d/s were left out: nothing held, and %s breaks the SLO at any rate",
                        Math.round(outcome.brokenStep.offeredPerS()), cause.limitedBy()));
            } else if (System.nanoTime() + took > deadline) {
                notes.add(String.format("the finer steps were left out: %d s of the budget left, the coarse ladder took %d s",
                        Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000), took / 1_000_000_000));
            } else {
                LadderRun second = climb(ladders, path.name() + "-fine", (outcome.heldPerS > 0 ? outcome.heldPerS : fine.get(0)) / 2, fine);
                runs.add(second.run());
                measured.addAll(second.steps());
                outcome = judge(second.steps(), path.slo(), outcome);
            }
        }

        Map<String, Object> capacity = new LinkedHashMap<>();
        capacity.put("unit", path.unit());
        capacity.put("highest_held_per_s", outcome.heldPerS > 0 ? Math.round(outcome.heldPerS) : null);
        capacity.put("first_broken_per_s", outcome.brokenStep == null ? null : Math.round(outcome.brokenStep.offeredPerS()));
        if (outcome.brokenStep == null) {
            capacity.put("limited_by", "not_reached");
            capacity.put("why", String.format("every step held, up to %,d/s offered: %s", top.get(top.size() - 1), path.top()));
        } else {
            Bottleneck bottleneck = bottleneck(outcome.brokenStep, path);
            capacity.put("limited_by", bottleneck.limitedBy());
            capacity.put("why", bottleneck.why());
            if (!outcome.brokenStep.hottest().isEmpty()) {
                capacity.put("hottest_at_first_broken", outcome.brokenStep.hottest());
            }
            double broke = outcome.brokenStep.offeredPerS();
            List<Long> heldAbove = measured.stream().filter(step -> step.offeredPerS() > broke && step.held(path.slo()))
                    .map(step -> Math.round(step.offeredPerS())).sorted().toList();
            if (!heldAbove.isEmpty()) {
                notes.add(String.format("unsteady near the knee: %s/s held too, above the first rate that broke", heldAbove));
            }
        }
        for (Step dip : outcome.dips()) {
            notes.add(String.format("a dip, not the knee: %,d/s broke (%s) and a higher step of the same ladder held after it",
                    Math.round(dip.offeredPerS()), String.join("; ", dip.breaks(path.slo()))));
        }
        capacity.put("ceiling_per_s", Double.isNaN(path.ceilingPerS()) ? null : Math.round(path.ceilingPerS()));
        Cost.atBusiest(measured, path.cpus()).ifPresent(cost -> capacity.put("cost", cost.toMap(path.unit())));
        capacity.put("slo", path.slo().toMap());
        capacity.put("steps", measured.stream().sorted(Comparator.comparingDouble(Step::offeredPerS)).map(step -> step.toMap(path.slo())).toList());
        capacity.put("runs", runs);
        capacity.put("notes", notes);
        capacity.put("seconds", (System.nanoTime() - started) / 1_000_000_000);
        return capacity;
    }

    private static Bottleneck bottleneck(Step broken, ServerPath path) {
        return Bottleneck.of(broken, path.cpus(), broken.breaks(path.slo()));
    }

    /**
     * One ladder, after a warm-up step: a fresh injector JVM compiles its hot paths in its first
     * seconds (p99 over a second at a rate it holds later), so the first step is shown, never judged.
     */
    private static LadderRun climb(Ladders ladders, String name, double warmUpPerS, List<Integer> rates) throws Exception {
        List<Integer> all = new ArrayList<>();
        all.add((int) Math.max(1, Math.round(warmUpPerS)));
        all.addAll(rates);
        LadderRun run = ladders.run(name, all);
        List<Step> steps = new ArrayList<>(run.steps());
        steps.set(0, steps.get(0).asWarmUp());
        return new LadderRun(steps, run.run());
    }

    /** A path the finder could not measure: a failure with its reason, never a capacity. */
    public static Map<String, Object> notMeasured(Exception e) {
        return notMeasured(e.toString());
    }

    /** A path the finder could not measure, and why. */
    public static Map<String, Object> notMeasured(String why) {
        Map<String, Object> capacity = new LinkedHashMap<>();
        capacity.put("limited_by", Capacity.NOT_MEASURED);
        capacity.put("why", "not measured: " + why);
        return capacity;
    }

    /** Whether every path of a run's capacity was measured. */
    public static boolean allMeasured(Map<String, Object> capacity) {
        return capacity.values().stream().noneMatch(path -> path instanceof Map<?, ?> map && Capacity.NOT_MEASURED.equals(map.get("limited_by")));
    }

    /** The capacity of every path as a table, then each path's verdict in a line. */
    @SuppressWarnings("unchecked")
    public static String table(Map<String, Object> capacity) {
        StringBuilder out = new StringBuilder();
        capacity.forEach((name, value) -> {
            Map<String, Object> path = (Map<String, Object>) value;
            out.append(String.format("%n%-6s %12s %12s %10s %11s %8s %12s %14s %11s %13s  %s%n", "path", "offered/s", "achieved/s", "p99 ms",
                    "fan-out ms", "failed", "server CPU%", "injector CPU%", "Redis CPU%", "machine CPU%", "held"));
            for (Map<String, Object> step : (List<Map<String, Object>>) path.getOrDefault("steps", List.of())) {
                out.append(String.format("%-6s %,12d %,12d %10s %11s %,8d %12s %14s %11s %13s  %s%n", name, step.get("offered_per_s"), step.get("achieved_per_s"),
                        step.get("p99_ms") == null ? "-" : String.format("%,d", (Long) step.get("p99_ms")),
                        step.get("fan_out_ms") == null ? "-" : String.format("%,d", (Long) step.get("fan_out_ms")), step.get("failed"),
                        Objects.toString(step.get("server_cpu_percent"), "-"),
                        Objects.toString(step.get("injector_cpu_percent"), "-"), Objects.toString(step.get("redis_cpu_percent"), "-"),
                        Objects.toString(step.get("machine_cpu_percent"), "-"),
                        step.get("held") == null ? "warm-up, not judged"
                                : (Boolean) step.get("held") ? "yes" : "no: " + String.join("; ", (List<String>) step.get("broke_on"))));
            }
            out.append(String.format("%s: highest held %s %s, first broken %s, limited by %s: %s (ceiling %s)%n", name,
                    Objects.toString(path.get("highest_held_per_s"), "none"), path.getOrDefault("unit", ""),
                    Objects.toString(path.get("first_broken_per_s"), "none"), path.get("limited_by"), path.get("why"),
                    Objects.toString(path.get("ceiling_per_s"), "not measured")));
            if (path.get("cost") instanceof Map<?, ?> cost) {
                out.append(String.format("  cost: %s%n", cost.get("in_words")));
            }
            ((Map<String, List<String>>) path.getOrDefault("hottest_at_first_broken", Map.of())).forEach((process, methods) ->
                    out.append(String.format("  where %s's CPU went in the first broken step (flight recording): %s%n", process,
                            String.join(", ", methods.subList(0, Math.min(5, methods.size()))))));
        });
        return out.toString();
    }

    /** The highest rate that held, the first step that broke, so far, and the dips on the way (see {@link #judge}). */
    record Outcome(double heldPerS, Step brokenStep, List<Step> dips) {
        static final Outcome NONE = new Outcome(0, null, List.of());
    }

    /**
     * Walks a ladder up to its first broken step: a broken step leaves a backlog that the steps
     * after it inherit, so they are shown but not judged. A dip is not that step: one that lost
     * nothing and was late or short while a higher step of the same ladder held after it (a connect
     * rung of 606/s achieved 93% of it for 3 s, then 1,010-2,424/s held). It left no backlog, so
     * the climb goes on past it, and a note names it.
     */
    static Outcome judge(List<Step> steps, Slo slo, Outcome soFar) {
        double held = soFar.heldPerS();
        Step brokenSoFar = soFar.brokenStep();
        List<Step> dips = new ArrayList<>(soFar.dips());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.warmUp()) continue;
            if (!step.breaks(slo).isEmpty()) {
                if (step.failed() == 0 && steps.subList(i + 1, steps.size()).stream().anyMatch(higher -> higher.held(slo))) {
                    dips.add(step);
                    continue;
                }
                return new Outcome(held, brokenSoFar == null || step.offeredPerS() < brokenSoFar.offeredPerS() ? step : brokenSoFar, dips);
            }
            held = Math.max(held, step.offeredPerS());
        }
        return new Outcome(held, brokenSoFar, dips);
    }
}
