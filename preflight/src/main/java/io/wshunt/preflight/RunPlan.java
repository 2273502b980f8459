package io.wshunt.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.wshunt.contract.InjectorShare;

/**
 * How a run of {@code users} connections is laid out on this machine (server processes, injector
 * processes, the loopback address each injector connects to) and whether the machine's limits
 * allow it, limit by limit, with the first one in the way named.
 */
public record RunPlan(int users, int servers, int injectors, List<String> injectorAddresses, List<Check> checks) {
    /** Measured here: a server holds a connection in about 20 KB, a Gatling injector in about 22 KB. */
    static final long SERVER_BYTES_PER_CONNECTION = 25_000;
    static final long INJECTOR_BYTES_PER_CONNECTION = 25_000;
    static final long JVM_BASE_BYTES = 300L << 20;
    /** Files a JVM holds besides its sockets. */
    static final int FILES_PER_PROCESS = 500;

    /** One limit against what the plan needs of it. A blocking check that fails stops the run. */
    public record Check(String limit, String value, String needed, boolean ok, boolean blocking, String fix) {
        public String verdict() {
            return ok ? "ok" : blocking ? "BLOCKS" : "warn";
        }
    }

    public Optional<Check> firstBottleneck() {
        return checks.stream().filter(check -> !check.ok() && check.blocking()).findFirst();
    }

    /** This plan with one more check, for a limit known outside the host's (such as Redis). */
    public RunPlan with(Check check) {
        List<Check> more = new ArrayList<>(checks);
        more.add(check);
        return new RunPlan(users, servers, injectors, injectorAddresses, List.copyOf(more));
    }

    /**
     * The ports Linux's connect() tries first: it takes ports of the range's low parity (the even
     * half) and turns to the other half only after a scan of all of them, under a lock per port. An
     * injector past half its address's range connects slowly whatever the server does: 50,000 users
     * over three injectors at 2,000/s offered connected at about 2,000/s up to 14,000 users each
     * (the half of 28,232), then at 300-500/s; with the range widened, or over four injectors, they did not slow.
     */
    static int connectFirstChoice(int ports) {
        return ports < 0 ? -1 : ports / 2;
    }

    public boolean feasible() {
        return firstBottleneck().isEmpty();
    }

    public int usersOfInjector(int injector) {
        return new InjectorShare(injector, injectors).of(users);
    }

    /** The first user index of an injector, so that user ids never collide between injectors. */
    public int userIdOffset(int injector) {
        return new InjectorShare(injector, injectors).before(users);
    }

    /**
     * @param servers   server processes wanted, or 0 to derive them from the open-files limit
     * @param injectors injector processes wanted, or 0 to derive them
     */
    public static RunPlan derive(int users, HostLimits limits, int servers, int injectors) {
        long perProcessFiles = usable(limits.openFilesHard()) > 0 ? usable(limits.openFilesHard()) : usable(limits.openFilesSoft());
        long socketsPerProcess = Math.max(1, perProcessFiles - FILES_PER_PROCESS);
        boolean linux = limits.os().equals("Linux");
        int ports = limits.portsPerDestination();

        int fastPorts = connectFirstChoice(ports);
        // Injectors enough to keep each address within the ports connect() tries first.
        int injectorsForPorts = linux && fastPorts > 0 ? ceilDiv(users, fastPorts) : 1;
        int serverCount = servers > 0 ? servers : ceilDiv(users, socketsPerProcess);
        int injectorCount = injectors > 0 ? injectors : Math.max(ceilDiv(users, socketsPerProcess), injectorsForPorts);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < injectorCount; i++) {
            // Every 127.x.y.z is this machine on Linux; macOS has only 127.0.0.1 unless aliases are added.
            addresses.add(linux ? "127.0.0." + (i + 1) : "127.0.0.1");
        }
        long usersPerServer = ceilDiv(users, serverCount);
        long usersPerInjector = ceilDiv(users, injectorCount);
        long usersPerAddress = linux ? usersPerInjector : users;
        long processes = serverCount + injectorCount;
        String moreProcesses = " or spread the users over more processes (--servers N --injectors N)";

        List<Check> checks = new ArrayList<>();
        long filesPerProcess = Math.max(usersPerServer, usersPerInjector) + FILES_PER_PROCESS;
        checks.add(new Check("open files per process (ulimit -n, hard)",
                limits.openFilesSoft() + " soft / " + show(limits.openFilesHard()) + " hard", String.valueOf(filesPerProcess),
                limits.openFilesHard() < 0 || limits.openFilesHard() >= filesPerProcess, true,
                (linux ? "raise the hard limit in /etc/security/limits.conf (nofile) or the service's LimitNOFILE,"
                        : "sudo launchctl limit maxfiles 200000 200000,") + moreProcesses));
        checks.add(new Check(linux ? "fs.nr_open (files per process, kernel)" : "kern.maxfilesperproc",
                show(limits.perProcessFileMax()), String.valueOf(filesPerProcess),
                limits.perProcessFileMax() < 0 || limits.perProcessFileMax() >= filesPerProcess, true,
                linux ? "sudo sysctl -w fs.nr_open=1048576 (ci/tune-linux.sh)" : "sudo sysctl -w kern.maxfilesperproc=200000"));
        long totalFiles = 2L * users + processes * FILES_PER_PROCESS;
        checks.add(new Check(linux ? "fs.file-max (files, whole system)" : "kern.maxfiles",
                show(limits.fileMax()), String.valueOf(totalFiles),
                limits.fileMax() < 0 || limits.fileMax() >= totalFiles, true,
                linux ? "sudo sysctl -w fs.file-max=2097152 (ci/tune-linux.sh)" : "sudo sysctl -w kern.maxfiles=400000"));
        checks.add(new Check("ephemeral ports per server address",
                ports < 0 ? "unknown" : ports + " (" + limits.portRangeLow() + "-" + limits.portRangeHigh() + ")",
                usersPerAddress + (linux ? " per loopback address, " + injectorCount + " address(es)" : ""),
                ports < 0 || ports >= usersPerAddress, true,
                linux ? "sudo sysctl -w net.ipv4.ip_local_port_range=\"10000 65535\", or more injectors (each gets its own 127.0.0.x)"
                        : "sudo sysctl -w net.inet.ip.portrange.first=10000 (and hifirst); the 16,383 of macOS's default range is not the server's limit"));
        if (linux) {
            checks.add(new Check("ports connect() takes first (the even half)", ports < 0 ? "unknown" : String.valueOf(fastPorts),
                    usersPerAddress + " per loopback address", ports < 0 || fastPorts >= usersPerAddress, false,
                    "more injectors (--injectors " + injectorsForPorts + ") or sudo sysctl -w net.ipv4.ip_local_port_range=\"10000 65535\": past the even half, every connect scans all of it"));
        }
        checks.add(new Check(linux ? "net.core.somaxconn (accept queue)" : "kern.ipc.somaxconn",
                show(limits.somaxconn()), ">= 4096 for connect bursts", limits.somaxconn() < 0 || limits.somaxconn() >= 4096, false,
                linux ? "sudo sysctl -w net.core.somaxconn=65535 (ci/tune-linux.sh)" : "sudo sysctl -w kern.ipc.somaxconn=4096"));
        if (linux) {
            checks.add(new Check("net.ipv4.tcp_max_syn_backlog", show(limits.synBacklog()), ">= 4096 for connect bursts",
                    limits.synBacklog() < 0 || limits.synBacklog() >= 4096, false,
                    "sudo sysctl -w net.ipv4.tcp_max_syn_backlog=65535 (ci/tune-linux.sh)"));
            checks.add(new Check("kernel.io_uring_disabled (injectors' transport)",
                    limits.ioUringDisabled() < 0 ? "not present (io_uring allowed)" : String.valueOf(limits.ioUringDisabled()),
                    "0: Gatling on io_uring", limits.ioUringDisabled() <= 0, false,
                    "sudo sysctl -w kernel.io_uring_disabled=0; on epoll one injector sent about half as many messages here"));
            checks.add(new Check("nf_conntrack_max", limits.conntrackMax() < 0 ? "not loaded" : String.valueOf(limits.conntrackMax()),
                    String.valueOf(2L * users), limits.conntrackMax() < 0 || limits.conntrackMax() >= 2L * users, true,
                    "sudo sysctl -w net.netfilter.nf_conntrack_max=" + (4L * users) + " (ci/tune-linux.sh)"));
        }
        long memory = serverCount * (JVM_BASE_BYTES + usersPerServer * SERVER_BYTES_PER_CONNECTION)
                + injectorCount * (JVM_BASE_BYTES + usersPerInjector * INJECTOR_BYTES_PER_CONNECTION);
        checks.add(new Check("memory available", mib(limits.memoryAvailableBytes()), mib(memory) + " (estimated)",
                limits.memoryAvailableBytes() < 0 || limits.memoryAvailableBytes() >= memory, true,
                "fewer users, or a machine with more memory"));
        checks.add(new Check("CPUs", String.valueOf(limits.cpus()), "injectors and servers share them",
                limits.cpus() >= 4, false, "figures measured with injector and server on one small machine are lower bounds"));
        return new RunPlan(users, serverCount, injectorCount, List.copyOf(addresses), List.copyOf(checks));
    }

    private static long usable(long limit) {
        return limit == Long.MAX_VALUE ? 1_048_576 : limit;
    }

    private static int ceilDiv(long a, long b) {
        return (int) Math.max(1, (a + b - 1) / b);
    }

    private static String show(long value) {
        return value < 0 ? "unknown" : value == Long.MAX_VALUE ? "unlimited" : String.valueOf(value);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format("%,d MB", bytes >> 20);
    }
}
