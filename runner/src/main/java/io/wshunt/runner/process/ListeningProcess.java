package io.wshunt.runner.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Optional;

import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats.TcpState;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * The process of this machine that listens on a TCP port, and the CPU time it has used, both from
 * OSHI (on Linux the way {@code ss -p} finds it: the listening socket in {@code /proc/net/tcp*},
 * then the process holding it). It gives the server's CPU per unit for a server of any stack, with
 * no counters of its own, as long as it runs here.
 */
public record ListeningProcess(long pid, String name) {
    private static final OperatingSystem OS = new SystemInfo().getOperatingSystem();

    /** The process listening on {@code port}; empty where there is none, or none the OS would name. */
    public static Optional<ListeningProcess> on(int port) {
        try {
            return OS.getInternetProtocolStats().getConnections().stream()
                    .filter(connection -> connection.getLocalPort() == port && connection.getState() == TcpState.LISTEN && connection.getowningProcessId() > 0)
                    .findFirst()
                    .flatMap(connection -> Optional.ofNullable(OS.getProcess(connection.getowningProcessId())))
                    .map(process -> new ListeningProcess(process.getProcessID(), process.getName()));
        } catch (RuntimeException unreadable) {
            // an OS whose sockets OSHI cannot list, or a process that ended while it was read: the CPU is then not counted
            return Optional.empty();
        }
    }

    /**
     * The process serving {@code host:port} when the host is this machine (a loopback address or one
     * of its interfaces'); empty for another machine's server, whose port here may be anyone's.
     */
    public static Optional<ListeningProcess> serving(String host, int port) {
        try {
            InetAddress address = InetAddress.getByName(host);
            boolean here = address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
            return here && port > 0 ? on(port) : Optional.empty();
        } catch (IOException unresolved) {
            return Optional.empty();
        }
    }

    /** User and system CPU time used so far, in nanoseconds (the OS's 10 ms steps on Linux); -1 once the process is gone. */
    public long cpuNanos() {
        OSProcess process = OS.getProcess((int) pid);
        return process == null ? -1 : (process.getUserTime() + process.getKernelTime()) * 1_000_000L;
    }
}
