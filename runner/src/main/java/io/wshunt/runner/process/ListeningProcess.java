package io.wshunt.runner.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process of this machine that listens on a TCP port, found the way {@code ss -p} finds it
 * (Linux: the listening socket's inode in {@code /proc/net/tcp*}, then the process holding that
 * inode), and the CPU time it has used. It gives the server's CPU per unit for a server of any
 * stack, with no counters of its own, as long as it runs here.
 */
public record ListeningProcess(long pid, String name) {
    private static final Path PROC = Path.of("/proc");
    /** The kernel's clock ticks per second for {@code /proc/<pid>/stat}: 100 on every Linux the project runs on. */
    private static final long TICKS_PER_SECOND = 100;
    private static final String LISTEN = "0A";

    /** The process listening on {@code port}; empty where there is none, or no {@code /proc} to ask. */
    public static Optional<ListeningProcess> on(int port) {
        try {
            OptionalLong inode = listeningInode(port);
            if (inode.isEmpty()) return Optional.empty();
            String socket = "socket:[" + inode.getAsLong() + "]";
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry -> entry.getFileName().toString().matches("\\d+"))) {
                for (Path process : processes) {
                    if (holds(process, socket)) {
                        String name = Files.readString(process.resolve("comm")).trim();
                        return Optional.of(new ListeningProcess(Long.parseLong(process.getFileName().toString()), name));
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no /proc (macOS), or a process that ended while it was read: the CPU is then not counted
        }
        return Optional.empty();
    }

    /** User and system CPU time used so far, in nanoseconds (10 ms steps); -1 once the process is gone. */
    public long cpuNanos() {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"));
            // Fields after the command name, which may hold spaces: state is the first, utime the 12th, stime the 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private static OptionalLong listeningInode(int port) throws IOException {
        String localPort = String.format(":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.isReadable(file)) continue;
            for (String line : Files.readAllLines(file)) {
                String[] columns = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (columns.length > 9 && columns[1].endsWith(localPort) && columns[3].equals(LISTEN)) {
                    return OptionalLong.of(Long.parseLong(columns[9]));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean holds(Path process, String socket) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path descriptor : descriptors) {
                if (Files.readSymbolicLink(descriptor).toString().equals(socket)) return true;
            }
        } catch (IOException | RuntimeException notOurs) {
            // another user's process, or one that ended
        }
        return false;
    }
}
