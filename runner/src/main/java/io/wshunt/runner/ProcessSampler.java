package io.wshunt.runner;

import java.util.LinkedHashMap;
import java.util.Map;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Peak resident memory and CPU of each process of a run, on Linux and macOS alike (OSHI), so that
 * what each server and injector cost is reported beside what it did.
 */
final class ProcessSampler {
    private static final OperatingSystem OS = new SystemInfo().getOperatingSystem();

    private static final class Peak {
        long rssBytes;
        double cpuPercent;
        long lastCpuMillis = -1;
        long lastNanos;
    }

    private final Map<String, Peak> peaks = new LinkedHashMap<>();

    void sample(String name, long pid) {
        Peak peak = peaks.computeIfAbsent(name, ignored -> new Peak());
        OSProcess process = OS.getProcess((int) pid);
        if (process == null) {
            return; // gone
        }
        peak.rssBytes = Math.max(peak.rssBytes, process.getResidentSetSize());
        long cpuMillis = process.getKernelTime() + process.getUserTime();
        long now = System.nanoTime();
        if (peak.lastCpuMillis >= 0 && now > peak.lastNanos) {
            double percent = 100.0 * (cpuMillis - peak.lastCpuMillis) / ((now - peak.lastNanos) / 1e6);
            peak.cpuPercent = Math.max(peak.cpuPercent, percent);
        }
        peak.lastCpuMillis = cpuMillis;
        peak.lastNanos = now;
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        peaks.forEach((name, peak) -> out.put(name, Map.of(
                "peak_rss_mb", peak.rssBytes >> 20,
                "peak_cpu_percent", Math.round(peak.cpuPercent))));
        return out;
    }
}
