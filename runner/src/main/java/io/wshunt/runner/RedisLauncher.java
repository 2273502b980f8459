package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Starts a throwaway redis-server on loopback, the broadcast backplane when the run has several servers. */
final class RedisLauncher {
    private RedisLauncher() {
    }

    /** Said before any load when a run needs Redis and this machine has no redis-server. */
    static final String MISSING = """
            This run has several server processes: Redis carries each broadcast between them, and there is no
            redis-server on PATH. Any one of these will do:
              1. install it: apt-get install redis-server (Debian, Ubuntu) or brew install redis (macOS)
              2. point at a running one: --redis redis://host:6379
              3. start one in Docker: docker run -d -p 6379:6379 redis:7-alpine, then --redis redis://127.0.0.1:6379
            """;

    private static String executable() {
        return System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
    }

    /** Whether redis-server (or $REDIS_SERVER) can be started: an absolute path, or a name found on PATH. */
    static boolean available() {
        Path named = Path.of(executable());
        if (named.isAbsolute()) return Files.isExecutable(named);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir).resolve(named))) return true;
        }
        return false;
    }

    static String start(ChildProcesses children, Path dir) throws IOException, InterruptedException {
        int port = Ports.free();
        List<String> command = List.of(executable(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--client-output-buffer-limit", "pubsub 256mb 128mb 60");
        Process process;
        try {
            process = children.start(command, dir.resolve("redis.log"));
        } catch (IOException e) {
            throw new IOException("Several server processes need Redis to carry broadcasts, and redis-server could not be started ("
                    + e.getMessage() + "). Install it (apt-get install redis-server, brew install redis) or pass --redis redis://host:port.", e);
        }
        String probe = "redis-cli -p " + port + " ping";
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at once; see " + dir.resolve("redis.log"));
            }
            String pong = Shell.output(probe);
            if (pong != null && pong.trim().equals("PONG")) {
                return "redis://127.0.0.1:" + port;
            }
            Thread.sleep(100);
        }
        throw new IOException("redis-server did not answer on port " + port + " within 10 s");
    }
}
