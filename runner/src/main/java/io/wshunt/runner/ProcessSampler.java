package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peak resident memory and CPU of each process of a run, read from {@code /proc} (Linux), so that
 * what each server and injector cost is reported beside what it did.
 */
final class ProcessSampler {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private static final class Peak {
        long rssBytes;
        double cpuPercent;
        long lastCpuTicks = -1;
        long lastNanos;
    }

    private final Map<String, Peak> peaks = new LinkedHashMap<>();

    void sample(String name, long pid) {
        Peak peak = peaks.computeIfAbsent(name, ignored -> new Peak());
        long rss = rssBytes(pid);
        peak.rssBytes = Math.max(peak.rssBytes, rss);
        long ticks = cpuTicks(pid);
        long now = System.nanoTime();
        if (ticks >= 0 && peak.lastCpuTicks >= 0 && now > peak.lastNanos) {
            double seconds = (now - peak.lastNanos) / 1e9;
            double percent = 100.0 * (ticks - peak.lastCpuTicks) / CLOCK_TICKS_PER_SECOND / seconds;
            peak.cpuPercent = Math.max(peak.cpuPercent, percent);
        }
        peak.lastCpuTicks = ticks;
        peak.lastNanos = now;
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        peaks.forEach((name, peak) -> out.put(name, Map.of(
                "peak_rss_mb", peak.rssBytes >> 20,
                "peak_cpu_percent", Math.round(peak.cpuPercent))));
        return out;
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or not Linux.
        }
        return -1;
    }

    /** utime + stime of the process, in clock ticks. */
    static long cpuTicks(long pid) {
        try {
            String stat = String.join("\n", Files.readAllLines(Path.of("/proc", String.valueOf(pid), "stat")));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
