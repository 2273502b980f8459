package io.wshunt.runner.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The probe's phases as table lines and as JSON-ready maps, named the same way everywhere. */
public final class ProbeFigures {
    public static final String HEADER = String.format("%-10s %14s %16s %18s %14s %12s %10s %10s %9s", "phase", "rate/s", "server CPU us", "per CPU-second",
            "bytes/unit", "sent", "lost", "p50 ms", "p99 ms");

    private ProbeFigures() {
    }

    public static String line(CapacityProbe.Phase phase) {
        return String.format("%-10s %,14.0f %16s %18s %14s %,12d %,10d %10s %9s%s", phase.name(), phase.rate(), known("%.2f", phase.cpuMicrosPerUnit()),
                known("%,.0f", phase.perCpuSecond()), known("%,.0f", phase.cost().bytesPerUnit()), phase.sent(), phase.lost(), millis(phase.p50Millis()),
                millis(phase.p99Millis()),
                phase.duplicated() > 0 ? "  DUPLICATED " + phase.duplicated() : "");
    }

    public static Map<String, Object> toMap(List<CapacityProbe.Phase> phases) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (CapacityProbe.Phase phase : phases) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("unit", phase.unit());
            figures.put("per_s", Math.round(phase.rate()));
            figures.put("server_cpu_us_per_unit", round2(phase.cpuMicrosPerUnit()));
            figures.put("per_server_cpu_s", Double.isFinite(phase.perCpuSecond()) ? Math.round(phase.perCpuSecond()) : null);
            figures.put("thread_cpu_us_per_unit", round2(phase.cost().threadCpuMicrosPerUnit()));
            figures.put("bytes_per_unit", round2(phase.cost().bytesPerUnit()));
            figures.put("window_s", round2(phase.windowSeconds()));
            figures.put("sent", phase.sent());
            figures.put("arrived", phase.arrived());
            figures.put("lost", phase.lost());
            figures.put("duplicated", phase.duplicated());
            figures.put("send_failures", phase.sendFailures());
            if (!Double.isNaN(phase.p99Millis())) {
                figures.put("p50_ms", round2(phase.p50Millis()));
                figures.put("p99_ms", round2(phase.p99Millis()));
            }
            out.put(phase.name(), figures);
        }
        return out;
    }

    /** A figure the server does not give (a server of another stack) reads "not counted", never NaN or 0. */
    private static String known(String format, double value) {
        return Double.isFinite(value) ? String.format(format, value) : "not counted";
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.1f", value);
    }

    private static double round2(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : value;
    }
}
