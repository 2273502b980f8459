package io.wshunt.runner.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;

/**
 * How far apart builds that do not differ come out, from the {@code ab.json} of proof runs: for
 * every candidate and every metric of a path its regression does not touch, the log of each
 * round's candidate/base ratio. Printed per metric: the spread of rounds within one fork (one pair
 * of JVMs) and of fork means (what a fresh pair of JVMs adds). These say which limit a path can
 * carry: a limit three spreads of its mean away from 1 is rarely crossed by an identical build.
 * <p>{@code ci/prove-gate.sh --spread} runs it over every run of a proof.
 */
public final class AbSpread {
    /** One metric's spread: rounds and forks seen, the mean ratio, and the standard deviations of logs. */
    record Spread(String metric, int rounds, int forks, double meanRatio, double withinFork, double ofForkMeans) {
    }

    private AbSpread() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: AbSpread ab.json...  (the ab.json of ci/prove-gate.sh or ci/ab.sh --variant runs)");
            System.exit(2);
        }
        List<JsonNode> runs = new ArrayList<>();
        for (String file : args) {
            runs.add(Json.MAPPER.readTree(Path.of(file).toFile()));
        }
        System.out.printf("%-30s %7s %6s %10s %18s %18s%n", "metric (untouched paths)", "rounds", "forks", "mean ratio", "sd in a fork (log)",
                "sd of fork means");
        for (Spread spread : of(runs)) {
            System.out.printf("%-30s %7d %6d %10.3f %18.3f %18.3f%n", spread.metric(), spread.rounds(), spread.forks(), spread.meanRatio(),
                    spread.withinFork(), spread.ofForkMeans());
        }
    }

    /** Every metric's spread over the candidates of these runs, on the paths their regressions leave alone. */
    static List<Spread> of(List<JsonNode> runs) {
        // metric -> fork (run, candidate, fork) -> log ratios of its rounds
        Map<String, Map<String, List<Double>>> logs = new TreeMap<>();
        for (int run = 0; run < runs.size(); run++) {
            JsonNode ab = runs.get(run);
            for (JsonNode candidate : ab.path("candidates")) {
                // Pairs of their own (base_rounds) or, in older files, one base shared by every candidate.
                JsonNode base = candidate.has("base_rounds") ? candidate.path("base_rounds") : ab.path("base").path("rounds");
                JsonNode forkOf = candidate.has("fork_of_round") ? candidate.path("fork_of_round") : ab.path("base").path("fork_of_round");
                List<String> touched = touchedPaths(candidate.path("server_args").asText());
                for (Iterator<Map.Entry<String, JsonNode>> rounds = candidate.path("rounds").fields(); rounds.hasNext(); ) {
                    Map.Entry<String, JsonNode> round = rounds.next();
                    String fork = run + "/" + candidate.path("name").asText() + "/" + forkOf.path(round.getKey()).asText("?");
                    round.getValue().fields().forEachRemaining(figure -> {
                        double baseValue = base.path(round.getKey()).path(figure.getKey()).asDouble(Double.NaN);
                        double value = figure.getValue().asDouble(Double.NaN);
                        if (!touched.contains(figure.getKey().substring(0, figure.getKey().indexOf('.'))) && value > 0 && baseValue > 0) {
                            logs.computeIfAbsent(figure.getKey(), key -> new TreeMap<>()).computeIfAbsent(fork, key -> new ArrayList<>())
                                    .add(Math.log(value / baseValue));
                        }
                    });
                }
            }
        }
        List<Spread> spreads = new ArrayList<>();
        logs.forEach((metric, forks) -> {
            List<Double> forkMeans = new ArrayList<>();
            double withinSquares = 0;
            int withinDegrees = 0;
            int rounds = 0;
            for (List<Double> values : forks.values()) {
                double mean = mean(values);
                forkMeans.add(mean);
                for (double value : values) {
                    withinSquares += (value - mean) * (value - mean);
                }
                withinDegrees += values.size() - 1;
                rounds += values.size();
            }
            double meanOfForks = mean(forkMeans);
            double forkSquares = forkMeans.stream().mapToDouble(mean -> (mean - meanOfForks) * (mean - meanOfForks)).sum();
            spreads.add(new Spread(metric, rounds, forks.size(), Math.exp(meanOfForks),
                    withinDegrees > 0 ? Math.sqrt(withinSquares / withinDegrees) : Double.NaN,
                    forkMeans.size() > 1 ? Math.sqrt(forkSquares / (forkMeans.size() - 1)) : Double.NaN));
        });
        return spreads;
    }

    /** The paths a candidate's {@code --inject} moves, from its server arguments. */
    static List<String> touchedPaths(String serverArgs) {
        List<String> touched = new ArrayList<>();
        int at = serverArgs.indexOf("--inject ");
        if (at < 0) return touched;
        for (String item : serverArgs.substring(at + "--inject ".length()).split("\\s+")[0].split(",")) {
            String path = item.substring(0, Math.max(0, item.indexOf('.')));
            touched.add(AbPlan.phaseOf(path));
            if (path.equals(AbMetric.IDLE)) {
                touched.add("connect"); // memory held per connection is allocated by each connect too
            }
        }
        return touched;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
