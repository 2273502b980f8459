package io.wshunt.simulations;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * Checks, before any load, that this process can open the sockets a run needs, so that a hidden
 * limit fails the run at once with its name instead of thousands of "Too many open files".
 */
final class Preflight {
    /** Files a JVM holds besides its sockets: jars, logs, pipes, epoll. */
    static final int OVERHEAD_FILES = 200;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private Preflight() {
    }

    /**
     * @param sockets connections this process opens (its share of users)
     */
    static void check(int sockets) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long limit = os.getMaxFileDescriptorCount();
            long needed = sockets + os.getOpenFileDescriptorCount() + OVERHEAD_FILES;
            if (needed > limit) {
                throw new IllegalStateException(String.format(
                        "Open-files limit: %d users need about %d open files in this process, but its limit is %d (ulimit -n). "
                                + "Raise it (Linux: 'ulimit -n 65536', the hard limit is in /etc/security/limits.conf; "
                                + "macOS: 'sudo launchctl limit maxfiles 65536 200000' then 'ulimit -n 65536'), "
                                + "or spread the users over several injectors with ci/run-suite.sh.",
                        sockets, needed, limit));
            }
        }
        int ports = ephemeralPorts();
        if (ports > 0 && sockets > ports) {
            throw new IllegalStateException(String.format(
                    "Ephemeral ports: %d users need %d client ports to one server address, but net.ipv4.ip_local_port_range "
                            + "gives %d. Widen it (sudo sysctl -w net.ipv4.ip_local_port_range=\"10000 65535\") or spread "
                            + "the users over several loopback addresses with ci/run-suite.sh.", sockets, sockets, ports));
        }
    }

    /** Client ports per destination address on Linux; 0 where unknown. */
    static int ephemeralPorts() {
        try {
            // Not Files.readString: /proc reports a size of 0 and that read stops after one byte.
            String[] range = String.join(" ", Files.readAllLines(PORT_RANGE)).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
