package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.report.InjectorAccounting;
import io.wshunt.report.SimulationOutcome;

/**
 * What one injector wrote, wherever it ran (a process of the runner, a pod, a compose service,
 * another machine): its folder {@code injector-K} with its accounting JSON per simulation and
 * Gatling's {@code simulation.log}.
 */
record InjectorResults(int index, Path dir) {
    private static final Pattern FOLDER = Pattern.compile("injector-(\\d+)");

    Optional<Path> simulationLog() throws IOException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(path -> path.getFileName().toString().equals("simulation.log")).findFirst();
        }
    }

    Path accountingFile(String simulation) {
        return InjectorAccounting.file(dir, simulation);
    }

    /**
     * Adds every injector's accounting of a simulation to its outcome and returns their logs. An
     * injector without accounting is named as a problem: its users are missing from every count.
     */
    static List<Path> gather(List<InjectorResults> injectors, String simulation, SimulationOutcome.Builder outcome) throws IOException {
        List<Path> logs = new ArrayList<>();
        for (InjectorResults injector : injectors) {
            Path accounting = injector.accountingFile(simulation);
            if (Files.exists(accounting)) {
                outcome.addInjector(accounting);
            } else {
                outcome.problem("injector-" + injector.index() + " wrote no accounting for " + simulation
                        + (Files.isDirectory(injector.dir()) ? "" : " (no folder " + injector.dir() + ": it did not run, or its results were not gathered)"));
            }
            injector.simulationLog().ifPresent(logs::add);
        }
        return logs;
    }

    /**
     * The servers' counters over a simulation, from every injector's reading of all servers at its
     * start and at its end: each counter from the earliest start to the latest end, which hold every
     * injector's load between them. Empty when an injector that ran did not read them (servers it
     * could not reach, an older injector): then they are "not counted", never 0.
     */
    static Optional<Map<String, Long>> serverCounters(List<InjectorResults> injectors, String simulation) throws IOException {
        return spanned(injectors, simulation, accounting -> accounting.path(InjectorAccounting.CLUSTER_COUNTERS), "before", "after");
    }

    /**
     * The counters of a server the runner did not start, the same way, from what each injector read
     * of it (its {@code -DstatsUrl}, in wshunt's names through its profile): only the counters it
     * gives, the others "not counted". Empty when an injector did not read it.
     */
    static Optional<Map<String, Long>> targetCounters(List<InjectorResults> injectors, String simulation) throws IOException {
        return spanned(injectors, simulation, accounting -> accounting, "server_before", "server_after")
                .map(counted -> { counted.keySet().retainAll(SimulationOutcome.SERVER_COUNTERS); return counted; });
    }

    private static Optional<Map<String, Long>> spanned(List<InjectorResults> injectors, String simulation, UnaryOperator<JsonNode> readings,
                                                       String before, String after) throws IOException {
        Map<String, Long> first = new TreeMap<>();
        Map<String, Long> last = new TreeMap<>();
        for (InjectorResults injector : injectors) {
            Path accounting = injector.accountingFile(simulation);
            if (!Files.exists(accounting)) continue; // named as missing by gather
            JsonNode read = readings.apply(Json.MAPPER.readTree(accounting.toFile()));
            if (!read.path(before).isObject() || !read.path(after).isObject()) return Optional.empty();
            countersOf(read.path(before)).forEach((counter, value) -> first.merge(counter, value, Math::min));
            countersOf(read.path(after)).forEach((counter, value) -> last.merge(counter, value, Math::max));
        }
        if (last.isEmpty()) return Optional.empty();
        Map<String, Long> counted = new TreeMap<>();
        last.forEach((counter, end) -> counted.put(counter, end - first.getOrDefault(counter, 0L)));
        return Optional.of(counted);
    }

    /** The server counters a reading holds, as numbers: a server's other fields (its name, its version) are not counters. */
    private static Map<String, Long> countersOf(JsonNode reading) {
        Map<String, Long> counters = new TreeMap<>();
        reading.fields().forEachRemaining(field -> {
            if (field.getValue().isNumber()) counters.put(field.getKey(), field.getValue().asLong());
        });
        return counters;
    }

    /**
     * Injectors 1 to {@code expected} of a run, found among these folders: each a folder named
     * {@code injector-K}, or one that holds such folders (a run's results as gathered from a shared
     * volume, a bucket or {@code kubectl cp}). One not found keeps the folder it would have had
     * beside the others, so that it is named as missing.
     */
    static List<InjectorResults> find(List<Path> folders, int expected) throws IOException {
        TreeMap<Integer, Path> found = new TreeMap<>();
        for (Path folder : folders) {
            Integer index = indexOf(folder);
            if (index != null) {
                found.put(index, folder);
                continue;
            }
            try (Stream<Path> children = Files.list(folder)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    Integer childIndex = indexOf(child);
                    if (childIndex != null) found.put(childIndex, child);
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException("no injector-K folder in " + folders);
        }
        if (found.lastKey() > expected) {
            throw new IOException("found injector-" + found.lastKey() + " but the run had " + expected + " injector(s) (--injectors)");
        }
        Path parent = found.firstEntry().getValue().getParent();
        return IntStream.rangeClosed(1, expected)
                .mapToObj(index -> new InjectorResults(index, found.getOrDefault(index, parent.resolve("injector-" + index)))).toList();
    }

    private static Integer indexOf(Path folder) {
        Matcher matcher = FOLDER.matcher(folder.getFileName().toString());
        return matcher.matches() ? Integer.valueOf(matcher.group(1)) : null;
    }
}
