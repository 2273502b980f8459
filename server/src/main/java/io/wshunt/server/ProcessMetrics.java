package io.wshunt.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** What this process costs: resident memory, heap and CPU time, so that a run can report them per connection. */
final class ProcessMetrics {
    private static final Path STATUS = Path.of("/proc/self/status");
    /**
     * The JDK counts open files by listing /proc/self/fd: at 16,700 connections, and /stats asked
     * about 13 times a second by the runner and the injectors, that listing took 5% of the
     * server's CPU (perf, 100,000 users). Counted once a second at most.
     */
    private static final SecondCache OPEN_FILES = new SecondCache();

    private ProcessMetrics() {
    }

    static Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rss_bytes", residentBytes());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.put("heap_used_bytes", heap.getUsed());
        out.put("heap_max_bytes", heap.getMax());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long cpuNanos = os.getProcessCpuTime();
            out.put("cpu_time_ms", cpuNanos / 1_000_000);
            out.put("cpu_time_ns", cpuNanos);
            out.put("open_files", os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? OPEN_FILES.get(unix::getOpenFileDescriptorCount) : -1);
        }
        return out;
    }

    /** VmRSS from /proc on Linux; -1 where there is no /proc (macOS). */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the figure is unknown, not zero.
        }
        return -1;
    }

    /** A figure that costs too much to compute for every asker: at most one computation a second. */
    static final class SecondCache {
        private static final long SECOND_NANOS = 1_000_000_000L;
        private long value;
        /** A second old from the start: the first asker computes. */
        private long computedAtNanos = System.nanoTime() - SECOND_NANOS;

        synchronized long get(LongSupplier compute) {
            long now = System.nanoTime();
            if (now - computedAtNanos >= SECOND_NANOS) {
                value = compute.getAsLong();
                computedAtNanos = now;
            }
            return value;
        }
    }
}
