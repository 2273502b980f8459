package io.wshunt.server;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What this process costs: resident memory, heap, direct buffers, CPU time and bytes allocated, so
 * that a run can report them per connection and the gate per message, delivery and connect.
 */
final class ProcessMetrics {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);
    private static final ThreadCpu THREAD_CPU = new ThreadCpu(THREADS);
    private static final Path STATUS = Path.of("/proc/self/status");
    /**
     * The JDK counts open files by listing /proc/self/fd, which costs in proportion to the
     * connections held, and /stats is asked many times a second by the runner and the injectors:
     * counted once a second at most.
     */
    private static final SecondCache OPEN_FILES = new SecondCache();
    private static final SecondCache RESIDENT_BY_PS = new SecondCache();

    private ProcessMetrics() {
    }

    static Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rss_bytes", residentBytes());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.put("heap_used_bytes", heap.getUsed());
        out.put("heap_max_bytes", heap.getMax());
        out.put("direct_bytes", DIRECT == null ? -1 : DIRECT.getMemoryUsed());
        // Bytes allocated on the heap by every thread since the start: per unit of work it barely
        // moves between runs, unlike CPU time on a shared machine.
        out.put("allocated_bytes", THREADS.getTotalThreadAllocatedBytes());
        out.put("thread_cpu_time_ns", THREAD_CPU.totalNanos());
        out.put("threads_ended", THREAD_CPU.ended());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long cpuNanos = os.getProcessCpuTime();
            out.put("cpu_time_ms", cpuNanos / 1_000_000);
            out.put("cpu_time_ns", cpuNanos);
            out.put("open_files", os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? OPEN_FILES.get(unix::getOpenFileDescriptorCount) : -1);
        }
        return out;
    }

    /** Resident memory: VmRSS from /proc on Linux; elsewhere (macOS) what {@code ps} says, asked once a second at most; -1 when neither answers. */
    static long residentBytes() {
        if (!Files.isReadable(STATUS)) {
            return RESIDENT_BY_PS.get(ProcessMetrics::residentBytesByPs);
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable or unexpected: the figure is unknown, not zero.
        }
        return -1;
    }

    /** {@code ps -o rss= -p PID}: kilobytes on macOS and the BSDs; bounded by a two-second wait. */
    static long residentBytesByPs() {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", String.valueOf(ProcessHandle.current().pid())).redirectErrorStream(true).start();
            if (!ps.waitFor(2, TimeUnit.SECONDS)) {
                ps.destroyForcibly();
                return -1;
            }
            String out = new String(ps.getInputStream().readAllBytes()).trim();
            return ps.exitValue() == 0 && out.matches("\\d+") ? Long.parseLong(out) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
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
