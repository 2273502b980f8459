package io.wshunt.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;

/**
 * A real redis-server, started as a process on a free loopback port for one test class.
 * There is no stand-in: without redis-server the tests fail and say how to install it.
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisProcess start() throws Exception {
        String binary = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("wshunt-redis");
        Process process;
        try {
            process = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("These tests need a real Redis: '" + binary + "' could not be started ("
                    + e.getMessage() + "). Install it (apt-get install redis-server, brew install redis) or set REDIS_SERVER.", e);
        }
        RedisProcess redis = new RedisProcess(process, port);
        redis.awaitPing();
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitPing() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
