package io.wshunt.contract;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the runner and the tests start a throwaway redis-server for the broadcast backplane: the
 * executable ({@code REDIS_SERVER}, else redis-server on PATH) and a command line that binds
 * loopback only, keeps nothing on disk, and lets a slow subscriber fall far behind before Redis
 * drops it.
 */
public final class RedisCommand {
    private RedisCommand() {
    }

    /** The image where Redis runs in Docker (Testcontainers): {@code WSHUNT_REDIS_IMAGE}, for a machine that has only a local one. */
    public static String image() {
        return System.getenv().getOrDefault("WSHUNT_REDIS_IMAGE", "redis:7-alpine");
    }

    public static String executable() {
        return System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
    }

    /** Whether the executable can be started: an absolute path, or a name found on PATH. */
    public static boolean available() {
        Path named = Path.of(executable());
        if (named.isAbsolute()) return Files.isExecutable(named);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir).resolve(named))) return true;
        }
        return false;
    }

    /** redis-server on 127.0.0.1:{@code port}, its working files in {@code dir}. */
    public static List<String> of(int port, Path dir) {
        return List.of(executable(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--client-output-buffer-limit", "pubsub 256mb 128mb 60");
    }

    /**
     * The same, reading a configuration file first ({@code requirepass}, kept out of the command
     * line, which every local user can read in the process list).
     */
    public static List<String> of(int port, Path dir, Path config) {
        List<String> command = new ArrayList<>(of(port, dir));
        command.add(1, config.toString()); // redis-server takes its configuration file as the first argument
        return command;
    }
}
