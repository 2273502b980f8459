package io.wshunt.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Peak resident memory and CPU of each process of a run, on Linux and macOS alike (OSHI), so that
 * what each server and injector cost is reported beside what it did.
 */
final class ProcessSampler {
    private static final SystemInfo SYSTEM = new SystemInfo();
    private static final OperatingSystem OS = SYSTEM.getOperatingSystem();
    private static final HardwareAbstractionLayer HARDWARE = SYSTEM.getHardware();

    private static final class Peak {
        long rssBytes;
        double cpuPercent;
        long lastCpuMillis = -1;
        long lastNanos;
    }

    private final Map<String, Peak> peaks = new LinkedHashMap<>();

    /** One reading: a process's CPU (100 = one core) over the second before {@code epochMillis}. */
    private record CpuReading(String name, long epochMillis, double percent) {
    }

    private final List<CpuReading> readings = new ArrayList<>();
    /** The whole machine's CPU ticks at the last reading: what every process took, Redis, the kernel's loopback work and the runner too. */
    private long[] lastTicks;

    /** The readings' name of the whole machine, 100 per busy core. */
    static final String MACHINE = "machine";

    /** Each process sampled, by name: its pid. */
    private final Map<String, Long> pids = new LinkedHashMap<>();

    void sample(String name, long pid) {
        pids.put(name, pid);
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
            readings.add(new CpuReading(name, System.currentTimeMillis(), percent));
        }
        peak.lastCpuMillis = cpuMillis;
        peak.lastNanos = now;
    }

    /** Reads how busy the whole machine was since the last call (100 = one core). */
    void sampleMachine() {
        CentralProcessor processor = HARDWARE.getProcessor();
        long[] ticks = processor.getSystemCpuLoadTicks();
        if (lastTicks != null) {
            double busy = processor.getSystemCpuLoadBetweenTicks(lastTicks);
            readings.add(new CpuReading(MACHINE, System.currentTimeMillis(), busy * processor.getLogicalProcessorCount() * 100));
        }
        lastTicks = ticks;
    }

    /**
     * The CPU of the processes whose names start with {@code prefix} between two instants: each
     * process's mean over its readings there, summed; NaN when none was read.
     */
    double cpuPercent(String prefix, long fromEpochMillis, long toEpochMillis) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (CpuReading reading : readings) {
            if (reading.name().startsWith(prefix) && reading.epochMillis() > fromEpochMillis && reading.epochMillis() <= toEpochMillis) {
                double[] sum = sums.computeIfAbsent(reading.name(), name -> new double[2]);
                sum[0] += reading.percent();
                sum[1]++;
            }
        }
        return sums.isEmpty() ? Double.NaN : sums.values().stream().mapToDouble(sum -> sum[0] / sum[1]).sum();
    }

    /** The pid of a process sampled by that name; -1 when none was. */
    long pid(String name) {
        return pids.getOrDefault(name, -1L);
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        peaks.forEach((name, peak) -> out.put(name, Map.of(
                "peak_rss_mb", peak.rssBytes >> 20,
                "peak_cpu_percent", Math.round(peak.cpuPercent))));
        return out;
    }
}
