package io.wshunt.runner.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wshunt.runner.probe.CapacityProbe;

/**
 * One figure the A/B gate judges, per path of the server: units per second of the server's CPU
 * (higher is better) and bytes allocated per unit (lower is better) for the acked round trip,
 * broadcast delivery and connect, and bytes held per idle connection (lower is better). The
 * tolerance is how far the candidate may be from the base before it is a regression.
 */
public record AbMetric(String name, String path, Kind kind, double tolerance) {
    /** What a metric measures, and which way is better. */
    public enum Kind {
        /** Units per second of the server's Java threads' CPU (without the JIT and the collector); a server of another stack: its process's. */
        PER_CPU_SECOND("per_server_cpu_s", true),
        /** Bytes the server's threads allocated per unit. */
        BYTES_PER_UNIT("bytes_per_unit", false),
        /** Live heap and direct buffers per idle connection. */
        BYTES_PER_CONNECTION("bytes_per_connection", false);

        final String suffix;
        final boolean higherIsBetter;

        Kind(String suffix, boolean higherIsBetter) {
            this.suffix = suffix;
            this.higherIsBetter = higherIsBetter;
        }
    }

    /** The path of idle connections: memory only. */
    public static final String IDLE = "idle";

    /** The ratio candidate/base at which a regression starts: below it for higher-is-better, above it otherwise. */
    public double limit() {
        return kind.higherIsBetter ? 1 - tolerance : 1 + tolerance;
    }

    public boolean higherIsBetter() {
        return kind.higherIsBetter;
    }

    /** The metrics of the named paths (probe phases, and {@value #IDLE}), in that order, with each path's tolerances. */
    public static List<AbMetric> of(List<String> paths, Map<String, Double> cpuTolerance, Map<String, Double> allocTolerance, double memoryTolerance) {
        List<AbMetric> metrics = new ArrayList<>();
        for (String path : paths) {
            if (path.equals(IDLE)) {
                metrics.add(new AbMetric(IDLE + "." + Kind.BYTES_PER_CONNECTION.suffix, IDLE, Kind.BYTES_PER_CONNECTION, memoryTolerance));
            } else {
                metrics.add(new AbMetric(path + "." + Kind.PER_CPU_SECOND.suffix, path, Kind.PER_CPU_SECOND, cpuTolerance.get(path)));
                metrics.add(new AbMetric(path + "." + Kind.BYTES_PER_UNIT.suffix, path, Kind.BYTES_PER_UNIT, allocTolerance.get(path)));
            }
        }
        return metrics;
    }

    /**
     * This metric's value in a probe phase of its path, over the phase's whole measured stretch: the
     * two servers of a pair are loaded over the same seconds, and a median window picked on each
     * side apart would compare different seconds. NaN where the server did not report what it needs.
     */
    public double of(CapacityProbe.Phase phase) {
        return switch (kind) {
            case PER_CPU_SECOND -> {
                // A server of another stack reports no thread CPU: its whole process's then.
                double threads = phase.stretch().threadCpuMicrosPerUnit();
                double micros = threads > 0 ? threads : phase.stretch().cpuMicrosPerUnit();
                yield micros > 0 ? 1e6 / micros : Double.NaN;
            }
            case BYTES_PER_UNIT -> phase.stretch().bytesPerUnit();
            case BYTES_PER_CONNECTION -> throw new IllegalStateException(name + " is not measured by a probe phase");
        };
    }
}
