package io.wshunt.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The limits of this machine that decide how many connections a run can hold, read from Linux
 * ({@code /proc}, {@code ulimit}) or macOS ({@code sysctl}, {@code launchctl}). A value that
 * cannot be read is -1: unknown, never zero.
 */
public record HostLimits(
        String os,
        long openFilesSoft,
        long openFilesHard,
        long fileMax,
        long perProcessFileMax,
        int portRangeLow,
        int portRangeHigh,
        long somaxconn,
        long synBacklog,
        long conntrackMax,
        long memoryAvailableBytes,
        int cpus,
        long ioUringDisabled) {

    /** Client ports one source address can use towards one server address:port. */
    public int portsPerDestination() {
        return portRangeLow > 0 && portRangeHigh >= portRangeLow ? portRangeHigh - portRangeLow + 1 : -1;
    }

    public static HostLimits read() {
        return read(System.getProperty("os.name"), Shell::output, HostLimits::readFile);
    }

    /**
     * @param command runs a shell command line and returns its output, or null
     * @param file    reads a file, or returns null
     */
    static HostLimits read(String osName, Function<String, String> command, Function<Path, String> file) {
        long soft = number(command.apply("ulimit -Sn"));
        long hard = number(command.apply("ulimit -Hn"));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (osName.toLowerCase().contains("mac")) {
            Map<String, String> sysctl = sysctl(command, "kern.maxfiles", "kern.maxfilesperproc",
                    "net.inet.ip.portrange.first", "net.inet.ip.portrange.last", "kern.ipc.somaxconn", "hw.memsize");
            return new HostLimits("macOS", soft, hard, number(sysctl.get("kern.maxfiles")),
                    number(sysctl.get("kern.maxfilesperproc")),
                    (int) number(sysctl.get("net.inet.ip.portrange.first")), (int) number(sysctl.get("net.inet.ip.portrange.last")),
                    number(sysctl.get("kern.ipc.somaxconn")), -1, -1, number(sysctl.get("hw.memsize")), cpus, -1);
        }
        String[] range = orEmpty(file.apply(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))).trim().split("\\s+");
        return new HostLimits("Linux", soft, hard,
                number(file.apply(Path.of("/proc/sys/fs/file-max"))),
                number(file.apply(Path.of("/proc/sys/fs/nr_open"))),
                range.length == 2 ? (int) number(range[0]) : -1,
                range.length == 2 ? (int) number(range[1]) : -1,
                number(file.apply(Path.of("/proc/sys/net/core/somaxconn"))),
                number(file.apply(Path.of("/proc/sys/net/ipv4/tcp_max_syn_backlog"))),
                number(file.apply(Path.of("/proc/sys/net/netfilter/nf_conntrack_max"))),
                memAvailable(orEmpty(file.apply(Path.of("/proc/meminfo")))),
                cpus,
                // Missing before Linux 6.6, where io_uring cannot be turned off this way.
                number(file.apply(Path.of("/proc/sys/kernel/io_uring_disabled"))));
    }

    private static Map<String, String> sysctl(Function<String, String> command, String... names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, command.apply("sysctl -n " + name));
        }
        return values;
    }

    private static long memAvailable(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemAvailable:")) {
                return number(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    static long number(String text) {
        if (text == null) return -1;
        String trimmed = text.trim();
        if (trimmed.equals("unlimited")) return Long.MAX_VALUE;
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String readFile(Path path) {
        try {
            // Not Files.readString: /proc reports a size of 0 and that read stops after one byte.
            return String.join("\n", Files.readAllLines(path));
        } catch (IOException e) {
            return null;
        }
    }
}
