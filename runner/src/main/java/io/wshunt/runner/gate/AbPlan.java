package io.wshunt.runner.gate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.probe.ProbeProtocol;

/**
 * Everything one A/B gate run is asked to do, read once from the command line: the builds, the
 * candidates, the paths and metrics judged, and the budget of forks and rounds.
 *
 * @param commands     servers of another stack, started by commands; null: wshunt's server, by classpath
 * @param variants     candidates of the candidate build with a deliberate regression each; empty: the candidate build as it is
 * @param forks        fresh server JVMs per side at most: each JVM pair has a bias of its own that rounds within it cannot average out
 * @param minForks     forks before any verdict but a clear regression
 * @param roundsPerFork rounds measured on each fork's JVMs
 * @param inTurns       probe phases that load the two servers of a pair one after the other, each alone on the CPUs; the others load both at once
 * @param pace          the rates the acked round trip and the broadcast are offered at, the same on both servers of a pair
 * @param inconclusive  what an inconclusive metric does to the gate
 */
public record AbPlan(String baseClasspath, String candidateClasspath, String baseJvmArgs, String candidateJvmArgs, String candidateServerArgs, Commands commands,
                     List<Variant> variants, String serverCpus, List<String> paths, List<AbMetric> metrics,
                     int forks, int minForks, int roundsPerFork, Duration budget, int warmupPasses, int connections, int idleConnections,
                     Duration window, int windows, List<String> inTurns, CapacityProbe.Pace pace, Inconclusive inconclusive, Path out) {

    /**
     * What a metric whose interval still lies across its limit when the budget has run out does to
     * the gate: {@code MEAN} fails it when the ratio's mean is past the limit (the gate's best
     * estimate), {@code FAIL} always, {@code PASS} never. The verdict says inconclusive either way.
     */
    public enum Inconclusive { MEAN, FAIL, PASS }

    /**
     * Two builds of a server of another stack: the command that starts each, with
     * {@value io.wshunt.runner.process.CommandServer#PORT} where the port goes, and the protocol the
     * probe speaks to them. Their CPU is read from the process listening on the port.
     */
    public record Commands(String base, String candidate, ProbeProtocol protocol) {
    }

    /**
     * A candidate with a deliberate regression, in shares of the base's own figures: for example
     * {@code ack.cpu:10} is 10% more CPU per acked round trip, {@code idle.bytes:20} 20% more memory
     * per idle connection. An empty list is the candidate build as it is.
     */
    public record Variant(String name, List<Injection> injections) {
    }

    /** One deliberate regression: a server path ({@code ack}, {@code delivery}, {@code connect}, {@code idle}), a kind, a percentage. */
    public record Injection(String path, String kind, double percent) {
        /** The probe phase whose base figure the percentage is of. */
        String phase() {
            return phaseOf(path);
        }
    }

    /** The probe phase, and metric prefix, of a server path: a delivery is measured by the broadcast phase. */
    static String phaseOf(String path) {
        return path.equals("delivery") ? "broadcast" : path;
    }

    /** The probe phases the rounds run: every judged path but idle memory, which is measured once per fork. */
    List<String> phases() {
        return paths.stream().filter(path -> !path.equals(AbMetric.IDLE)).toList();
    }

    boolean measuresIdle() {
        return paths.contains(AbMetric.IDLE);
    }

    /** Phases the base must be measured on to size the variants' regressions. */
    List<String> calibrationPhases() {
        return variants.stream().flatMap(variant -> variant.injections().stream()).map(Injection::phase)
                .filter(phase -> !phase.equals(AbMetric.IDLE)).distinct()
                .sorted((a, b) -> Integer.compare(indexOf(a), indexOf(b))).toList();
    }

    boolean calibratesIdle() {
        return variants.stream().flatMap(variant -> variant.injections().stream()).anyMatch(injection -> injection.path().equals(AbMetric.IDLE));
    }

    private static int indexOf(String phase) {
        return Stream.of("fire", "ack", "broadcast", "connect").toList().indexOf(phase);
    }
}
